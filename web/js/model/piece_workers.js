// Pieces stored by a few dedicated workers (piece_worker.js) instead of the page's thread.
// In Chromium, WebCrypto computes on the thread that calls it and fetch copies a request's body
// there too: an in-page upload kept the page's thread busy 3.6 s of 4.5 (docs/performance.md,
// "The dashboard"), so one thread bounded it on any machine and the page's interface waited
// behind it. Each worker keeps two pieces in flight, so its next piece is encrypted while the
// last one's PUT is answered.
import { errorFromMessage } from './worker_errors.js';

const PER_WORKER = 2;

/** Two workers, or one per core up to four. */
function defaultWorkerCount() {
  return Math.min(4, Math.max(2, globalThis.navigator?.hardwareConcurrency ?? 2));
}

/** @typedef {import('../crypto/manifest.js').ChunkRef | null} StoredChunk */
/** @typedef {{ resolve: (chunk: StoredChunk) => void, reject: (error: Error) => void }} PendingJob */
/** @typedef {{ worker: Worker, jobs: Map<number, PendingJob> }} WorkerSlot */

/**
 * A PieceStore (store_piece.js) backed by workers, started at the first pieces and kept for
 * the page's life.
 */
export class PieceWorkers {
  constructor(count = defaultWorkerCount()) {
    this.count = count;
    this.concurrency = count * PER_WORKER;
    /** @type {WorkerSlot[]} */
    this.workers = [];
    this.nextId = 1;
    this.store = this.store.bind(this);
  }

  /**
   * @param {import('../api/client.js').ApiClient} api
   * @param {import('./store_piece.js').PieceJob} job
   * @param {AbortSignal} [signal]
   * @returns {Promise<StoredChunk>}
   */
  store(api, job, signal) {
    signal?.throwIfAborted();
    const slot = this.leastBusy();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = () => slot.worker.postMessage({ type: 'abort', id });
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = () => signal?.removeEventListener('abort', onAbort);
      slot.jobs.set(id, {
        resolve: (chunk) => { settle(); resolve(chunk); },
        reject: (error) => { settle(); reject(error); },
      });
      slot.worker.postMessage({ type: 'store', id, baseUrl: api.baseUrl, job }, [job.piece.buffer]); // moved, not copied
    });
  }

  /** @returns {WorkerSlot} */
  leastBusy() {
    if (this.workers.length < this.count) {
      /** @type {WorkerSlot} */
      const slot = { worker: new Worker(new URL('./piece_worker.js', import.meta.url), { type: 'module' }), jobs: new Map() };
      slot.worker.onmessage = (event) => {
        const { id, chunk, error } = event.data;
        const job = slot.jobs.get(id);
        slot.jobs.delete(id);
        if (error) job?.reject(errorFromMessage(error));
        else job?.resolve(chunk);
      };
      slot.worker.onerror = (event) => this.fail(slot, new Error(`an upload worker failed: ${event.message || 'it could not start'}`));
      this.workers.push(slot);
      return slot;
    }
    return this.workers.reduce((best, slot) => (slot.jobs.size < best.jobs.size ? slot : best));
  }

  /**
   * A worker that died takes its jobs with it: they fail, and a new worker replaces it.
   * @param {WorkerSlot} slot
   * @param {Error} error
   */
  fail(slot, error) {
    slot.worker.terminate();
    this.workers = this.workers.filter((s) => s !== slot);
    for (const job of slot.jobs.values()) job.reject(error);
    slot.jobs.clear();
  }
}
