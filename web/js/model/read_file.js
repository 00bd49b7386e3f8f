// readFile: a file's plaintext as a ReadableStream, one chunk at a time (docs/crypto.md 11,
// 12.2). The manifest is opened and checked (this node, the version asked for); each chunk is
// fetched by id, must carry the MAC the manifest names, verify under the file key and be as
// long as the part of the file it covers; holes read as zeros. A few chunks are fetched ahead,
// so the network and the decryption overlap; memory stays a few chunks whatever the file.
import { base64urlDecode } from '../crypto/base64url.js';
import { concatBytes } from '../crypto/bytes.js';
import { decryptChunk } from '../crypto/chunk.js';
import { integrityError } from '../crypto/errors.js';
import { fernetRawSize, importFernetKey } from '../crypto/fernet.js';
import { hexEncode } from '../crypto/hex.js';
import { coveredBytes, openManifest } from '../crypto/manifest.js';
import { call } from './session.js';

const LOOKAHEAD = 3;

/**
 * A version's manifest, opened and checked.
 * @param {import('./session.js').Session} session
 * @param {{ nodeId: string, key: Uint8Array, version: number }} file
 * @param {number | 'current'} [version]
 */
export async function openVersion(session, file, version = 'current') {
  const stored = await call(session, 'GET', `/v1/nodes/${file.nodeId}/versions/${version}`);
  const manifest = await openManifest(file.key, file.nodeId, base64urlDecode(stored.manifest));
  const expected = version === 'current' ? stored.version : version;
  if (manifest.version !== BigInt(expected) || stored.version !== expected) {
    throw integrityError(`node ${file.nodeId}: the server sent another version's manifest`);
  }
  if (version === 'current') session.guard.contentVersion(file.nodeId, stored.version);
  const listed = manifest.chunks.filter((c) => c !== null).map((c) => hexEncode(/** @type {Uint8Array} */ (c?.id)));
  if (listed.length !== stored.chunks.length || listed.some((id, i) => id !== stored.chunks[i])) {
    throw integrityError(`node ${file.nodeId}: the server's chunk list differs from the sealed manifest`);
  }
  return manifest;
}

/**
 * The plaintext of a file (its current version, or `options.version`), chunk by chunk. Errors
 * (integrity for anything tampered, ApiError for the server's refusals) error the stream.
 * @param {import('./session.js').Session} session
 * @param {import('./listing.js').Entry | { nodeId: string, key: Uint8Array, version: number }} entry
 * @param {{ version?: number }} [options]
 * @returns {ReadableStream<Uint8Array>}
 */
export function readFile(session, entry, options = {}) {
  /** @type {import('../crypto/manifest.js').Manifest} */
  let manifest;
  /** @type {import('../crypto/fernet.js').FernetKey} */
  let fileKey;
  let next = 0;
  /** @type {Array<Promise<Uint8Array | null>>} */
  const ahead = [];
  const controller = new AbortController();
  let fetched = 0;

  const fetchNext = () => {
    const index = fetched++;
    const chunk = manifest.chunks[index];
    // No longer than the token of the bytes the manifest says it covers: a server cannot make
    // the page hold more than that per chunk.
    const promise = chunk
      ? session.api.getBytes(hexEncode(chunk.id), session.token, controller.signal, fernetRawSize(coveredBytes(manifest, index)))
        .catch((error) => {
          throw error?.code === 'too_large' ? integrityError(`chunk ${index}: longer than the manifest allows`) : error;
        })
      : Promise.resolve(null);
    promise.catch(() => null); // consumed in order by pull; this keeps an early failure from being unhandled
    ahead.push(promise);
  };

  return new ReadableStream({
    async start() {
      manifest = await openVersion(session, entry, options.version ?? 'current');
      fileKey = await importFernetKey(entry.key);
    },
    async pull(stream) {
      if (next >= manifest.chunks.length) {
        stream.close();
        return;
      }
      while (fetched < manifest.chunks.length && ahead.length < LOOKAHEAD) fetchNext();
      const index = next++;
      const stored = await /** @type {Promise<Uint8Array | null>} */ (ahead.shift());
      const covered = coveredBytes(manifest, index);
      const chunk = manifest.chunks[index];
      if (!chunk || !stored) {
        stream.enqueue(new Uint8Array(covered));
        return;
      }
      const plain = await decryptChunk(fileKey, chunk.mac, stored);
      if (plain.length !== covered) throw integrityError(`node ${entry.nodeId}: chunk ${index} is not as long as the part of the file it covers`);
      stream.enqueue(plain);
    },
    cancel() {
      controller.abort();
    },
  }, { highWaterMark: 1 });
}

/**
 * The whole plaintext in memory: for small files and tests only (readFile streams).
 * @param {import('./session.js').Session} session
 * @param {import('./listing.js').Entry} entry
 * @param {{ version?: number }} [options]
 */
export async function readAll(session, entry, options = {}) {
  const parts = [];
  const reader = readFile(session, entry, options).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return concatBytes(...parts);
}
