// Byte-string helpers: concatenation, UTF-8, comparison and wiping.

/** @typedef {Uint8Array<ArrayBuffer>} Bytes a byte string WebCrypto accepts as a BufferSource */

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

/**
 * @param {...Uint8Array} parts
 * @returns {Bytes}
 */
export function concatBytes(...parts) {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * A copy that WebCrypto accepts whatever buffer the input views.
 * @param {Uint8Array} bytes
 * @returns {Bytes}
 */
export function copyBytes(bytes) {
  return new Uint8Array(bytes);
}

/**
 * The same bytes, typed for WebCrypto. Coffer never hands WebCrypto a view of a
 * SharedArrayBuffer (which WebCrypto refuses), so no copy is needed.
 * @param {Uint8Array} bytes
 * @returns {Bytes}
 */
export function webBytes(bytes) {
  return /** @type {Bytes} */ (bytes);
}

/**
 * @param {string} text
 * @returns {Bytes}
 */
export function utf8(text) {
  return /** @type {Bytes} */ (utf8Encoder.encode(text));
}

/**
 * Strict UTF-8 decoding.
 * @param {Uint8Array} bytes
 * @returns {string | null} null when the bytes are not valid UTF-8
 */
export function utf8Text(bytes) {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Compares two byte strings without an early exit, so the time does not say where they differ
 * (as far as a JavaScript engine allows; MACs of tokens are verified by WebCrypto instead).
 * @param {Uint8Array} a
 * @param {Uint8Array} b
 */
export function constantTimeEqual(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/**
 * Overwrites secret bytes with zeros once they are no longer needed.
 * @param {...(Uint8Array | null | undefined)} buffers
 */
export function wipe(...buffers) {
  for (const buffer of buffers) buffer?.fill(0);
}

/**
 * Unsigned byte order, as the C++ client sorts tags and xattr names.
 * @param {Uint8Array} a
 * @param {Uint8Array} b
 */
export function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i] - b[i];
  }
  return a.length - b.length;
}
