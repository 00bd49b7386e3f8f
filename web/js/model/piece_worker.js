// A dedicated worker of piece_workers.js: it stores the pieces the page sends it
// (store_piece.js) and answers each with its chunk or its error. Each message is one job,
// and its try/catch is the worker's one exception barrier.
import { ApiClient } from '../api/client.js';
import { storePiece } from './store_piece.js';
import { errorAsMessage } from './worker_errors.js';

const scope = /** @type {any} */ (globalThis);
/** @type {Map<number, AbortController>} */
const running = new Map();

scope.onmessage = async (/** @type {MessageEvent} */ event) => {
  const message = event.data;
  if (message.type === 'abort') {
    running.get(message.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(message.id, controller);
  try {
    const chunk = await storePiece(new ApiClient(message.baseUrl), message.job, controller.signal);
    scope.postMessage({ id: message.id, chunk });
  } catch (error) {
    scope.postMessage({ id: message.id, error: errorAsMessage(error) });
  } finally {
    running.delete(message.id);
  }
};
