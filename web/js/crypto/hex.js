// Lowercase hex (docs/crypto.md section 2): chunk ids and name tags are 64 characters.

import { invalidArgument } from './errors.js';

/**
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function hexEncode(bytes) {
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/**
 * Refuses (invalid_argument) odd lengths, upper case and any other character.
 * @param {string} text
 * @returns {import('./bytes.js').Bytes}
 */
export function hexDecode(text) {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-f]*$/.test(text)) {
    throw invalidArgument('hex: not lowercase hex of even length');
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}
