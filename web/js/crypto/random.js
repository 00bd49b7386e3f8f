// Randomness from the browser's CSPRNG (crypto.getRandomValues), for IVs, salts and keys.

const MAX_REQUEST = 65536; // getRandomValues refuses more per call

/**
 * @param {number} size
 * @returns {import('./bytes.js').Bytes}
 */
export function randomBytes(size) {
  const out = new Uint8Array(size);
  for (let at = 0; at < size; at += MAX_REQUEST) {
    globalThis.crypto.getRandomValues(out.subarray(at, Math.min(size, at + MAX_REQUEST)));
  }
  return out;
}
