// Per-purpose subkeys of a node key (docs/crypto.md section 4): every kind of token except
// content chunks uses its own, so a token of one kind never opens as another.
//   subkey(key, purpose) = HKDF(ikm = key bytes, info = "coffer/v1/" || purpose, no salt)

import { wipe } from './bytes.js';
import { importFernetKey } from './fernet.js';
import { hkdf } from './hkdf.js';
import { importHmacKey } from './sha256.js';

/** The info suffix of each purpose, as the C++ KeyPurpose. */
export const KeyPurpose = Object.freeze({
  nameEncryption: 'name-token',
  nameTag: 'name',
  keyWrapping: 'wrap',
  manifest: 'manifest',
  attributes: 'attributes',
  entry: 'entry',
  folder: 'folder',
  linkLabel: 'link-label',
});

/** @typedef {typeof KeyPurpose[keyof typeof KeyPurpose]} Purpose */

/**
 * The subkey's 32 bytes; the caller wipes them. Tests compare them with the C++ vectors.
 * @param {Uint8Array} keyBytes a node key's 32 bytes
 * @param {Purpose} purpose
 */
export function deriveSubkeyBytes(keyBytes, purpose) {
  return hkdf(keyBytes, `coffer/v1/${purpose}`);
}

/**
 * A subkey imported as a Fernet key; its bytes are wiped at once.
 * @param {Uint8Array} keyBytes
 * @param {Purpose} purpose
 * @returns {Promise<import('./fernet.js').FernetKey>}
 */
export async function fernetSubkey(keyBytes, purpose) {
  const bytes = await deriveSubkeyBytes(keyBytes, purpose);
  try {
    return await importFernetKey(bytes);
  } finally {
    wipe(bytes);
  }
}

/**
 * The HMAC key of name tags (all 32 bytes of the name_tag subkey); its bytes are wiped at once.
 * @param {Uint8Array} keyBytes
 * @returns {Promise<CryptoKey>}
 */
export async function nameTagKey(keyBytes) {
  const bytes = await deriveSubkeyBytes(keyBytes, KeyPurpose.nameTag);
  try {
    return await importHmacKey(bytes);
  } finally {
    wipe(bytes);
  }
}
