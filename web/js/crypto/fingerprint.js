// Key fingerprints (docs/crypto.md section 10): the first 16 bytes of SHA-256(public key) as
// lowercase hex in eight groups of four, e.g. "f35e 5616 160a 30bf 3c6e 79fa 73c5 76d4".

import { hexEncode } from './hex.js';
import { sha256 } from './sha256.js';

/** @param {Uint8Array} publicKey */
export async function keyFingerprint(publicKey) {
  const hex = hexEncode((await sha256(publicKey)).subarray(0, 16));
  return /** @type {string[]} */ (hex.match(/.{4}/g)).join(' ');
}
