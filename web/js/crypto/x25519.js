// X25519 (RFC 7748) on WebCrypto. A private key's 32 raw bytes are imported through PKCS#8
// (WebCrypto has no raw import for private keys) and never exported again; its public key is
// X25519(private, 9), the agreement with the base point, so no extractable key is needed.

import { concatBytes, wipe } from './bytes.js';
import { invalidArgument } from './errors.js';
import { hexDecode } from './hex.js';
import { randomBytes } from './random.js';

export const X25519_KEY_SIZE = 32;
// PKCS#8 PrivateKeyInfo for id-X25519 (1.3.101.110) up to the 32 key bytes (RFC 8410).
const PKCS8_PREFIX = hexDecode('302e020100300506032b656e04220420');
const BASE_POINT = new Uint8Array(32);
BASE_POINT[0] = 9;

/** @typedef {{ privateKey: CryptoKey, publicKey: import('./bytes.js').Bytes }} X25519Identity */

/**
 * @param {Uint8Array} privateBytes 32 bytes; the caller keeps and wipes them
 * @returns {Promise<CryptoKey>} not extractable, for deriveBits only
 */
export async function importX25519PrivateKey(privateBytes) {
  if (privateBytes.length !== X25519_KEY_SIZE) throw invalidArgument('an X25519 private key is 32 bytes');
  const pkcs8 = concatBytes(PKCS8_PREFIX, privateBytes);
  try {
    return await globalThis.crypto.subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits']);
  } finally {
    wipe(pkcs8);
  }
}

/**
 * The shared secret with a peer's raw public key. Refuses (invalid_argument) a key that is not
 * 32 bytes, one WebCrypto rejects, and a low-order point (an all-zero secret).
 * @param {CryptoKey} privateKey
 * @param {Uint8Array} peerPublic
 * @returns {Promise<import('./bytes.js').Bytes>} 32 bytes; the caller wipes them
 */
export async function x25519(privateKey, peerPublic) {
  if (peerPublic.length !== X25519_KEY_SIZE) throw invalidArgument('a public key is 32 bytes');
  const subtle = globalThis.crypto.subtle;
  let secret;
  try {
    const peer = await subtle.importKey('raw', new Uint8Array(peerPublic), { name: 'X25519' }, true, []);
    secret = new Uint8Array(await subtle.deriveBits({ name: 'X25519', public: peer }, privateKey, 256));
  } catch {
    throw invalidArgument('an invalid public key');
  }
  if (secret.every((byte) => byte === 0)) throw invalidArgument('a low-order public key');
  return secret;
}

/**
 * @param {Uint8Array} privateBytes
 * @returns {Promise<X25519Identity>}
 */
export async function x25519IdentityFromPrivate(privateBytes) {
  const privateKey = await importX25519PrivateKey(privateBytes);
  return { privateKey, publicKey: await x25519(privateKey, BASE_POINT) };
}

/**
 * A fresh identity with its private bytes, for sealing into a new key bundle.
 * @returns {Promise<{ privateBytes: import('./bytes.js').Bytes, identity: X25519Identity }>}
 */
export async function generateX25519Identity() {
  const privateBytes = randomBytes(X25519_KEY_SIZE);
  return { privateBytes, identity: await x25519IdentityFromPrivate(privateBytes) };
}

/**
 * A one-time pair whose private half never exists outside WebCrypto (sealed grants).
 * @returns {Promise<X25519Identity>}
 */
export async function generateEphemeralX25519() {
  const subtle = globalThis.crypto.subtle;
  const pair = /** @type {CryptoKeyPair} */ (await subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']));
  return { privateKey: pair.privateKey, publicKey: new Uint8Array(await subtle.exportKey('raw', pair.publicKey)) };
}
