// Fernet (github.com/fernet/spec, version 0x80) on WebCrypto, as docs/crypto.md section 3:
// raw tokens for stored data, base64url "standard" tokens for names. No TTL: Coffer's own data
// is never decrypted with one, the timestamp is informational.

import { base64urlDecode, base64urlEncode } from './base64url.js';
import { webBytes } from './bytes.js';
import { invalidArgument, invalidToken } from './errors.js';
import { randomBytes } from './random.js';

const VERSION = 0x80;
const HEADER_SIZE = 25; // version, timestamp, IV
const MAC_SIZE = 32;
const BLOCK_SIZE = 16;
export const FERNET_KEY_SIZE = 32;
export const FERNET_MIN_RAW_SIZE = HEADER_SIZE + BLOCK_SIZE + MAC_SIZE; // 73

/**
 * A Fernet key imported into WebCrypto: neither half can be read back.
 * @typedef {{ signing: CryptoKey, encryption: CryptoKey }} FernetKey
 */

/**
 * Imports a Fernet key's 32 raw bytes (signing key first, then encryption key). The caller
 * keeps (and wipes) the bytes.
 * @param {Uint8Array} keyBytes
 * @returns {Promise<FernetKey>}
 */
export async function importFernetKey(keyBytes) {
  if (!(keyBytes instanceof Uint8Array) || keyBytes.length !== FERNET_KEY_SIZE) {
    throw invalidArgument('a Fernet key is 32 bytes');
  }
  const subtle = globalThis.crypto.subtle;
  const signing = await subtle.importKey('raw', keyBytes.slice(0, 16), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
  const encryption = await subtle.importKey('raw', keyBytes.slice(16, 32), 'AES-CBC', false, ['encrypt', 'decrypt']);
  return { signing, encryption };
}

/**
 * The size of a raw token for a plaintext of `size` bytes.
 * @param {number} size
 */
export function fernetRawSize(size) {
  return HEADER_SIZE + BLOCK_SIZE * (Math.floor(size / BLOCK_SIZE) + 1) + MAC_SIZE;
}

/**
 * A raw token with a caller-chosen timestamp and IV: only known-answer tests use it.
 * @param {FernetKey} key
 * @param {Uint8Array} plaintext
 * @param {number} timestamp Unix seconds
 * @param {Uint8Array} iv 16 bytes
 * @returns {Promise<import('./bytes.js').Bytes>}
 */
export async function fernetEncryptRawWithIv(key, plaintext, timestamp, iv) {
  if (iv.length !== BLOCK_SIZE) throw invalidArgument('a Fernet IV is 16 bytes');
  const subtle = globalThis.crypto.subtle;
  const ivCopy = new Uint8Array(iv);
  const ciphertext = new Uint8Array(
    await subtle.encrypt({ name: 'AES-CBC', iv: ivCopy }, key.encryption, webBytes(plaintext)),
  );
  const token = new Uint8Array(HEADER_SIZE + ciphertext.length + MAC_SIZE);
  const view = new DataView(token.buffer);
  token[0] = VERSION;
  view.setBigUint64(1, BigInt(timestamp));
  token.set(ivCopy, 9);
  token.set(ciphertext, HEADER_SIZE);
  const signed = token.subarray(0, token.length - MAC_SIZE);
  token.set(new Uint8Array(await subtle.sign('HMAC', key.signing, signed)), signed.length);
  return token;
}

/**
 * @param {FernetKey} key
 * @param {Uint8Array} plaintext
 * @returns {Promise<import('./bytes.js').Bytes>} the raw token, with a random IV and the current time
 */
export function fernetEncryptRaw(key, plaintext) {
  return fernetEncryptRawWithIv(key, plaintext, Math.floor(Date.now() / 1000), randomBytes(BLOCK_SIZE));
}

/**
 * Checks in the documented order: size, version, block alignment, the HMAC (WebCrypto verify)
 * before any decryption, then the PKCS7 padding (WebCrypto's AES-CBC checks it). Refuses with
 * invalid_token.
 * @param {FernetKey} key
 * @param {Uint8Array} token
 * @returns {Promise<import('./bytes.js').Bytes>}
 */
export async function fernetDecryptRaw(key, token) {
  if (token.length < FERNET_MIN_RAW_SIZE) throw invalidToken('Fernet: token too short');
  if (token[0] !== VERSION) throw invalidToken('Fernet: unknown version');
  if ((token.length - HEADER_SIZE - MAC_SIZE) % BLOCK_SIZE !== 0) {
    throw invalidToken('Fernet: ciphertext is not a whole number of blocks');
  }
  const subtle = globalThis.crypto.subtle;
  const signed = token.subarray(0, token.length - MAC_SIZE);
  const mac = token.subarray(token.length - MAC_SIZE);
  if (!(await subtle.verify('HMAC', key.signing, webBytes(mac), webBytes(signed)))) throw invalidToken('Fernet: MAC does not verify');
  const iv = token.slice(9, HEADER_SIZE);
  try {
    return new Uint8Array(await subtle.decrypt({ name: 'AES-CBC', iv }, key.encryption, webBytes(token.subarray(HEADER_SIZE, signed.length))));
  } catch {
    throw invalidToken('Fernet: bad padding');
  }
}

/**
 * @param {FernetKey} key
 * @param {Uint8Array} plaintext
 * @returns {Promise<string>} the standard (base64url) token
 */
export async function fernetEncrypt(key, plaintext) {
  return base64urlEncode(await fernetEncryptRaw(key, plaintext));
}

/**
 * @param {FernetKey} key
 * @param {string} token a standard token: canonical padded base64url first, then as a raw token
 * @returns {Promise<import('./bytes.js').Bytes>}
 */
export async function fernetDecrypt(key, token) {
  return fernetDecryptRaw(key, base64urlDecode(token));
}
