// Saving a decrypted stream to disk chunk by chunk (docs/web.md "The dashboard"): with the File
// System Access API where the browser has it (Chromium on a desktop), else through the service
// worker web/sw.js, which turns the stream into an ordinary download. Either way one chunk is
// in memory at a time. A decryption failure (a tampered chunk) aborts the save: the partial
// file is discarded by the browser, never completed with wrong bytes.
import { h } from './dom.js';

const SW_PREFIX = '/__coffer_download__/';

/** @type {Promise<ServiceWorkerRegistration | null> | null} */
let registration = null;

/**
 * Registers sw.js once, for the download prefix only: the dashboard's page is then not one of
 * its clients, so the page's own requests (every chunk's PUT and GET) go straight to the network
 * instead of through the worker (docs/performance.md, "The dashboard"). A registration for the
 * whole origin, left by an earlier version, is removed for the same reason. Resolves once the
 * worker is active; null where service workers are unavailable (an insecure origin).
 */
export function serviceWorker() {
  if (!registration) {
    registration = ('serviceWorker' in navigator)
      ? dropWholeOriginWorkers()
        .then(() => navigator.serviceWorker.register('/sw.js', { scope: SW_PREFIX }))
        .then(activeRegistration)
        .catch(() => null)
      : Promise.resolve(null);
  }
  return registration;
}

async function dropWholeOriginWorkers() {
  const scope = new URL(SW_PREFIX, location.href).href;
  const registrations = await navigator.serviceWorker.getRegistrations();
  await Promise.all(registrations.filter((r) => r.scope !== scope).map((r) => r.unregister()));
}

/**
 * The registration once its worker is active (navigator.serviceWorker.ready would wait for a
 * worker whose scope holds this page, which this one never does); null if it fails to install.
 * @param {ServiceWorkerRegistration} registered
 * @returns {Promise<ServiceWorkerRegistration | null>}
 */
function activeRegistration(registered) {
  if (registered.active) return Promise.resolve(registered);
  const worker = registered.installing ?? registered.waiting;
  if (!worker) return Promise.resolve(null);
  return new Promise((resolve) => {
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve(registered);
      else if (worker.state === 'redundant') resolve(null);
    });
  });
}

/**
 * Where a download will be written, asked before anything else so that the user's click still
 * counts as the gesture the picker needs. null: the user cancelled.
 * @param {string} name
 * @returns {Promise<{ kind: 'fs', writable: WritableStream<Uint8Array> } | { kind: 'sw' } | null>}
 */
export async function chooseTarget(name) {
  const picker = /** @type {any} */ (window).showSaveFilePicker;
  if (typeof picker === 'function') {
    try {
      const handle = await picker.call(window, { suggestedName: name });
      return { kind: 'fs', writable: await handle.createWritable() };
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return null;
      throw error;
    }
  }
  return { kind: 'sw' };
}

/**
 * Counts bytes through a stream.
 * @param {(done: number) => void} onBytes
 */
function counter(onBytes) {
  let done = 0;
  return new TransformStream({
    transform(chunk, controller) {
      done += chunk.length;
      onBytes(done);
      controller.enqueue(chunk);
    },
  });
}

/**
 * Writes `stream` to the chosen target. Resolves when the last byte is handed to the browser.
 * @param {{ kind: 'fs', writable: WritableStream<Uint8Array> } | { kind: 'sw' }} target
 * @param {string} name
 * @param {number} size
 * @param {ReadableStream<Uint8Array>} stream
 * @param {(done: number) => void} onBytes
 */
export async function saveStream(target, name, size, stream, onBytes) {
  const counted = stream.pipeThrough(counter(onBytes));
  if (target.kind === 'fs') {
    await counted.pipeTo(target.writable);
    return;
  }
  const worker = await serviceWorker();
  if (!worker?.active) {
    await saveThroughBlob(name, counted);
    return;
  }
  await saveThroughWorker(worker.active, name, size, counted);
}

/**
 * @param {ServiceWorker} worker
 * @param {string} name
 * @param {number} size
 * @param {ReadableStream<Uint8Array>} stream
 */
function saveThroughWorker(worker, name, size, stream) {
  const id = crypto.randomUUID();
  const channel = new MessageChannel();
  const reader = stream.getReader();
  return new Promise((resolve, reject) => {
    let frame = /** @type {HTMLIFrameElement | null} */ (null);
    const finish = (/** @type {unknown} */ error) => {
      channel.port1.close();
      setTimeout(() => frame?.remove(), 10_000);
      if (error) reject(error);
      else resolve(undefined);
    };
    // One chunk per credit the worker sends, in order, by a single pump.
    let credits = 0;
    let pumping = false;
    let finished = false;
    const pump = async () => {
      if (pumping) return;
      pumping = true;
      try {
        while (credits > 0 && !finished) {
          credits--;
          const { value, done } = await reader.read();
          if (done) {
            finished = true;
            channel.port1.postMessage({ type: 'done' });
            finish(null);
          } else {
            const copy = value.byteOffset === 0 && value.byteLength === value.buffer.byteLength ? value : value.slice();
            channel.port1.postMessage({ type: 'chunk', chunk: copy.buffer }, [copy.buffer]);
          }
        }
      } catch (error) {
        finished = true;
        channel.port1.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) });
        finish(error);
      }
      pumping = false;
    };
    channel.port1.onmessage = (event) => {
      const message = event.data;
      if (message.type === 'registered') {
        frame = /** @type {HTMLIFrameElement} */ (h('iframe', { className: 'download-frame', title: 'download', src: SW_PREFIX + id, tabindex: '-1', 'aria-hidden': 'true' }));
        document.body.append(frame);
      } else if (message.type === 'pull') {
        credits++;
        pump();
      } else if (message.type === 'cancel' && !finished) {
        finished = true;
        reader.cancel().catch(() => null);
        finish(new DOMException('the browser cancelled the download', 'AbortError'));
      }
    };
    worker.postMessage({ type: 'download', id, name, size }, [channel.port2]);
  });
}

/**
 * The last resort where no service worker runs: the browser keeps the parts (Chromium spills
 * large blobs to disk) and saves them at the end.
 * @param {string} name
 * @param {ReadableStream<Uint8Array>} stream
 */
async function saveThroughBlob(name, stream) {
  const parts = [];
  const reader = stream.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parts.push(new Blob([/** @type {BlobPart} */ (value)]));
  }
  const url = URL.createObjectURL(new Blob(parts, { type: 'application/octet-stream' }));
  const link = h('a', { href: url, download: name, className: 'download-frame' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
