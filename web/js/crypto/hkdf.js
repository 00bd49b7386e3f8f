// HKDF-SHA256 (RFC 5869) producing 32 bytes, as docs/crypto.md's HKDF(ikm, info, salt).

import { utf8, webBytes } from './bytes.js';

/**
 * @param {Uint8Array} ikm
 * @param {string} info ASCII, e.g. "coffer/v1/auth"
 * @param {Uint8Array} [salt] absent: the empty string (RFC 5869 then uses 32 zero bytes)
 * @returns {Promise<import('./bytes.js').Bytes>} 32 bytes; the caller wipes them
 */
export async function hkdf(ikm, info, salt = new Uint8Array(0)) {
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', webBytes(ikm), 'HKDF', false, ['deriveBits']);
  const params = { name: 'HKDF', hash: 'SHA-256', salt: webBytes(salt), info: utf8(info) };
  return new Uint8Array(await subtle.deriveBits(params, key, 256));
}
