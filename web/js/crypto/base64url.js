// base64url with = padding, strict and canonical (docs/crypto.md section 2): every byte string
// has exactly one accepted text.

import { invalidToken } from './errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUES[ALPHABET.charCodeAt(i)] = i;

/**
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function base64urlEncode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const rest = bytes.length - i;
    const n = (bytes[i] << 16) | ((rest > 1 ? bytes[i + 1] : 0) << 8) | (rest > 2 ? bytes[i + 2] : 0);
    out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
    out += rest > 1 ? ALPHABET[(n >> 6) & 63] : '=';
    out += rest > 2 ? ALPHABET[n & 63] : '=';
  }
  return out;
}

/**
 * @param {string} text
 * @param {number} at
 */
function sextet(text, at) {
  const code = text.charCodeAt(at);
  const value = code < 128 ? VALUES[code] : -1;
  if (value < 0) throw invalidToken('base64url: a character outside the alphabet');
  return value;
}

/**
 * Refuses (invalid_token) a length that is not a multiple of 4, = anywhere but the last one or
 * two places, any character outside A-Z a-z 0-9 - _, and non-zero bits under the padding.
 * @param {string} text
 * @returns {import('./bytes.js').Bytes}
 */
export function base64urlDecode(text) {
  if (typeof text !== 'string' || text.length % 4 !== 0) {
    throw invalidToken('base64url: the length is not a multiple of 4');
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - padding);
  let at = 0;
  for (let i = 0; i < text.length; i += 4) {
    const last = i + 4 === text.length;
    const pad = last ? padding : 0;
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = pad === 2 ? 0 : sextet(text, i + 2);
    const d = pad >= 1 ? 0 : sextet(text, i + 3);
    if ((pad === 2 && (b & 15) !== 0) || (pad === 1 && (c & 3) !== 0)) {
      throw invalidToken('base64url: non-zero bits under the padding');
    }
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    out[at++] = n >> 16;
    if (pad < 2) out[at++] = (n >> 8) & 255;
    if (pad < 1) out[at++] = n & 255;
  }
  return out;
}
