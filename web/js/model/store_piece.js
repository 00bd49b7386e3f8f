// One piece of a file stored (docs/crypto.md 11): encrypted under the file key (a piece of
// zeros is a hole: nothing stored), PUT by its id. The page runs it itself where there are no
// workers (Node, the tests), and piece_worker.js runs it for piece_workers.js.
import { encryptChunkOrHole } from '../crypto/chunk.js';
import { hexDecode } from '../crypto/hex.js';

/**
 * @typedef {object} PieceJob
 * @property {Uint8Array} piece the plaintext, owning its whole buffer (a worker is given it)
 * @property {import('../crypto/fernet.js').FernetKey} fileKey
 * @property {string} token the session's bearer token
 */

/**
 * Where the pieces of an upload are encrypted and stored, and how many at once.
 * @typedef {object} PieceStore
 * @property {number} concurrency pieces in flight
 * @property {(api: import('../api/client.js').ApiClient, job: PieceJob, signal?: AbortSignal) =>
 *   Promise<import('../crypto/manifest.js').ChunkRef | null>} store the piece's chunk, null for a hole
 */

/**
 * @param {import('../api/client.js').ApiClient} api
 * @param {PieceJob} job
 * @param {AbortSignal} [signal]
 * @returns {Promise<import('../crypto/manifest.js').ChunkRef | null>}
 */
export async function storePiece(api, job, signal) {
  const sealed = await encryptChunkOrHole(job.fileKey, job.piece);
  if (!sealed) return null;
  await api.request('PUT', `/v1/blobs/${sealed.id}`, { body: sealed.stored, token: job.token, signal });
  return { id: hexDecode(sealed.id), mac: sealed.mac, dataBlocks: sealed.dataBlocks };
}

/** Pieces stored by the calling thread, three in flight. @type {PieceStore} */
export const inPagePieces = { concurrency: 3, store: storePiece };
