// Entry names and name tags (docs/crypto.md section 6). Names are byte strings: the mount
// accepts any bytes but / and NUL, so a name need not be UTF-8; callers decode for display.

import { utf8 } from './bytes.js';
import { integrityError } from './errors.js';
import { fernetDecrypt, fernetEncrypt } from './fernet.js';
import { hexEncode } from './hex.js';
import { hmacSha256 } from './sha256.js';
import { fernetSubkey, KeyPurpose, nameTagKey } from './subkeys.js';

const MAX_NAME_SIZE = 255;
const SLASH = 0x2f;
const DOT = 0x2e;

/** @param {Uint8Array | string} name */
function nameBytes(name) {
  return typeof name === 'string' ? utf8(name) : name;
}

/**
 * 1 to 255 bytes, not . or .., without / or NUL.
 * @param {Uint8Array | string} name
 */
export function isValidName(name) {
  const bytes = nameBytes(name);
  if (bytes.length === 0 || bytes.length > MAX_NAME_SIZE) return false;
  if (bytes[0] === DOT && (bytes.length === 1 || (bytes.length === 2 && bytes[1] === DOT))) return false;
  return !bytes.includes(SLASH) && !bytes.includes(0);
}

/**
 * A standard token under the parent folder's name subkey (a fresh IV each time). The caller
 * checks isValidName first.
 * @param {Uint8Array} parentKey
 * @param {Uint8Array | string} name
 */
export async function encryptName(parentKey, name) {
  return fernetEncrypt(await fernetSubkey(parentKey, KeyPurpose.nameEncryption), nameBytes(name));
}

/**
 * Refuses (integrity) a token that does not verify and a plaintext that is not a valid name, so
 * a key holder cannot plant ../x or a/b in another client's tree.
 * @param {Uint8Array} parentKey
 * @param {string} token
 * @returns {Promise<import('./bytes.js').Bytes>} the name's bytes
 */
export async function decryptName(parentKey, token) {
  let name;
  try {
    name = await fernetDecrypt(await fernetSubkey(parentKey, KeyPurpose.nameEncryption), token);
  } catch {
    throw integrityError('encrypted name does not verify under the folder key');
  }
  if (!isValidName(name)) throw integrityError('encrypted name decrypts to an invalid file name');
  return name;
}

/**
 * hex(HMAC-SHA256(subkey(parent, name_tag), name)): 64 lowercase hex characters.
 * @param {Uint8Array} parentKey
 * @param {Uint8Array | string} name
 */
export async function nameTag(parentKey, name) {
  return hexEncode(await hmacSha256(await nameTagKey(parentKey), nameBytes(name)));
}
