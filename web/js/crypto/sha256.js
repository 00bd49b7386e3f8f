// SHA-256 and HMAC-SHA256 through WebCrypto.

import { webBytes } from './bytes.js';

/**
 * @param {Uint8Array} data
 * @returns {Promise<import('./bytes.js').Bytes>}
 */
export async function sha256(data) {
  return new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', webBytes(data)));
}

/**
 * An HMAC-SHA256 key that can sign and verify, not extractable.
 * @param {Uint8Array} keyBytes
 * @returns {Promise<CryptoKey>}
 */
export function importHmacKey(keyBytes) {
  return globalThis.crypto.subtle.importKey(
    'raw',
    webBytes(keyBytes),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign', 'verify'],
  );
}

/**
 * @param {CryptoKey} key
 * @param {Uint8Array} data
 * @returns {Promise<import('./bytes.js').Bytes>}
 */
export async function hmacSha256(key, data) {
  return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, webBytes(data)));
}
