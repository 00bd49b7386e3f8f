// The dashboard's service worker: it only turns a decrypted stream into a download, for
// browsers without the File System Access API. The page posts {type: 'download', id, name,
// size} with a MessagePort, then opens /__coffer_download__/ID in a hidden frame; this worker
// answers that request with a stream it pulls from the port, at most a few chunks ahead of
// what the browser has written to disk, so a file of any size never sits in memory. It is
// registered for that prefix only, so the dashboard's own requests never pass through it.
// Plaintext passes through here only in transit, never stored.
/* global self, ReadableStream, URL, Response */

const PREFIX = '/__coffer_download__/';
const AHEAD = 4; // chunks queued between the page and the browser's download
/** @type {Map<string, { port: MessagePort, name: string, size: number | null }>} */
const pending = new Map();

self.addEventListener('install', () => {
  /** @type {any} */ (self).skipWaiting();
});

self.addEventListener('activate', (event) => {
  /** @type {any} */ (event).waitUntil(/** @type {any} */ (self).clients.claim());
});

self.addEventListener('message', (event) => {
  const data = /** @type {any} */ (event).data;
  if (!data || data.type !== 'download' || typeof data.id !== 'string') return;
  const port = /** @type {any} */ (event).ports[0];
  if (!port) return;
  pending.set(data.id, { port, name: String(data.name), size: typeof data.size === 'number' ? data.size : null });
  port.postMessage({ type: 'registered' });
});

/** @param {string} name */
function contentDisposition(name) {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * A stream fed by the page through the port. Each pull sends the page one credit; the queue
 * holds up to AHEAD chunks, so the page decrypts the next ones while the browser writes.
 * @param {{ port: MessagePort, name: string, size: number | null }} download
 */
function streamOf(download) {
  const { port } = download;
  let closed = false;
  return new ReadableStream({
    start(controller) {
      port.onmessage = (event) => {
        const answer = event.data;
        if (closed) return;
        if (answer.type === 'chunk') controller.enqueue(new Uint8Array(answer.chunk));
        else if (answer.type === 'done') {
          closed = true;
          controller.close();
          port.close();
        } else {
          closed = true;
          controller.error(new Error(String(answer.message ?? 'the download failed')));
          port.close();
        }
      };
    },
    pull() {
      if (!closed) port.postMessage({ type: 'pull' });
    },
    cancel() {
      closed = true;
      port.postMessage({ type: 'cancel' });
      port.close();
    },
  }, { highWaterMark: AHEAD });
}

self.addEventListener('fetch', (event) => {
  const fetchEvent = /** @type {any} */ (event);
  const url = new URL(fetchEvent.request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(PREFIX)) return;
  const id = url.pathname.slice(PREFIX.length);
  const download = pending.get(id);
  pending.delete(id);
  if (!download) {
    fetchEvent.respondWith(new Response('This download is no longer available: start it again from the page.', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } }));
    return;
  }
  /** @type {Record<string, string>} */
  const headers = {
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': contentDisposition(download.name),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
  if (download.size !== null) headers['Content-Length'] = String(download.size);
  fetchEvent.respondWith(new Response(streamOf(download), { headers }));
});
