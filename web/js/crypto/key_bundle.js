// The user key bundle (docs/crypto.md section 8), sealed under kek directly:
//   version 0x01 || master key (32) || X25519 private key (32)
// The public key is derived on opening, not stored.

import { concatBytes, wipe } from './bytes.js';
import { integrityError, invalidArgument } from './errors.js';
import { fernetDecryptRaw, fernetEncryptRaw, importFernetKey } from './fernet.js';
import { x25519IdentityFromPrivate } from './x25519.js';

const BUNDLE_FORMAT = 1;
const BUNDLE_SIZE = 65;

/**
 * @param {Uint8Array} kek
 * @param {Uint8Array} masterKey 32 bytes
 * @param {Uint8Array} identityPrivate 32 bytes
 */
export async function sealKeyBundle(kek, masterKey, identityPrivate) {
  if (masterKey.length !== 32 || identityPrivate.length !== 32) throw invalidArgument('key bundle: keys are 32 bytes');
  const plaintext = concatBytes(Uint8Array.of(BUNDLE_FORMAT), masterKey, identityPrivate);
  try {
    return await fernetEncryptRaw(await importFernetKey(kek), plaintext);
  } finally {
    wipe(plaintext);
  }
}

/**
 * Refuses (integrity) a bundle that does not verify under kek, has another length or version,
 * or holds an unusable identity key.
 * @param {Uint8Array} kek
 * @param {Uint8Array} sealed the raw token
 * @returns {Promise<{ masterKey: import('./bytes.js').Bytes, identity: import('./x25519.js').X25519Identity }>}
 *   the caller wipes masterKey when done; the identity's private key stays inside WebCrypto
 */
export async function openKeyBundle(kek, sealed) {
  let plaintext;
  try {
    plaintext = await fernetDecryptRaw(await importFernetKey(kek), sealed);
  } catch {
    throw integrityError('key bundle: does not verify under the key-encryption key');
  }
  try {
    if (plaintext.length !== BUNDLE_SIZE) throw integrityError('key bundle: wrong length');
    if (plaintext[0] !== BUNDLE_FORMAT) throw integrityError('key bundle: unknown format version');
    let identity;
    try {
      identity = await x25519IdentityFromPrivate(plaintext.subarray(33));
    } catch {
      throw integrityError('key bundle: invalid identity key');
    }
    return { masterKey: plaintext.slice(1, 33), identity };
  } finally {
    wipe(plaintext);
  }
}
