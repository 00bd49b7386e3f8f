// Wrapped keys (docs/crypto.md section 7): a node key under its parent folder's key, the root
// folder key under the master key; a 105-byte raw token of the 32 key bytes.

import { wipe } from './bytes.js';
import { integrityError } from './errors.js';
import { FERNET_KEY_SIZE, fernetDecryptRaw, fernetEncryptRaw } from './fernet.js';
import { fernetSubkey, KeyPurpose } from './subkeys.js';

/**
 * @param {Uint8Array} wrappingKey
 * @param {Uint8Array} key the 32 bytes to wrap
 */
export async function wrapKey(wrappingKey, key) {
  return fernetEncryptRaw(await fernetSubkey(wrappingKey, KeyPurpose.keyWrapping), key);
}

/**
 * Refuses (integrity) a token that does not verify, or a plaintext that is not 32 bytes.
 * @param {Uint8Array} wrappingKey
 * @param {Uint8Array} wrapped the raw token
 * @returns {Promise<import('./bytes.js').Bytes>} the key's 32 bytes; the caller wipes them
 */
export async function unwrapKey(wrappingKey, wrapped) {
  let key;
  try {
    key = await fernetDecryptRaw(await fernetSubkey(wrappingKey, KeyPurpose.keyWrapping), wrapped);
  } catch {
    throw integrityError('wrapped key does not verify under the wrapping key');
  }
  if (key.length !== FERNET_KEY_SIZE) {
    wipe(key);
    throw integrityError('wrapped key has the wrong length');
  }
  return key;
}
