// Content chunks (docs/crypto.md section 11): each piece is a raw Fernet token under the bare
// file key, its id SHA-256 of the stored token (64 hex). A piece of zeros is a hole: nothing
// is stored. Reading compares the token's MAC with the one the manifest names, then Fernet
// verifies and decrypts; no hash of the stored bytes is computed.

import { constantTimeEqual } from './bytes.js';
import { integrityError } from './errors.js';
import { FERNET_MIN_RAW_SIZE, fernetDecryptRaw, fernetEncryptRaw } from './fernet.js';
import { hexEncode } from './hex.js';
import { sha256 } from './sha256.js';

export const DATA_BLOCK_SIZE = 4096;
const MAC_SIZE = 32;

/**
 * @typedef {object} EncryptedChunk
 * @property {string} id SHA-256 of `stored`, 64 lowercase hex characters
 * @property {import('./bytes.js').Bytes} stored the raw token, what is uploaded
 * @property {import('./bytes.js').Bytes} mac the token's last 32 bytes
 * @property {number} dataBlocks the 4 KiB blocks of the piece that hold a non-zero byte
 */

/**
 * True when bytes[at, end) hold a non-zero byte; `words` views the same bytes as 32-bit words
 * (null when they are not 4-byte aligned), so a block of zeros costs 1024 word reads.
 * @param {Uint8Array} bytes
 * @param {Uint32Array | null} words
 * @param {number} at a multiple of 4096
 * @param {number} end
 */
function blockHasData(bytes, words, at, end) {
  let i = at;
  if (words) {
    const wordEnd = Math.min(end, words.length * 4) >>> 2;
    for (let w = at >>> 2; w < wordEnd; w++) {
      if (words[w] !== 0) return true;
    }
    i = Math.max(at, wordEnd * 4);
  }
  for (; i < end; i++) {
    if (bytes[i] !== 0) return true;
  }
  return false;
}

/**
 * How many 4 KiB blocks of `plaintext` (a shorter last block counts) hold a non-zero byte.
 * @param {Uint8Array} plaintext
 */
export function countDataBlocks(plaintext) {
  const aligned = plaintext.byteOffset % 4 === 0;
  const words = aligned ? new Uint32Array(plaintext.buffer, plaintext.byteOffset, plaintext.length >>> 2) : null;
  let blocks = 0;
  for (let at = 0; at < plaintext.length; at += DATA_BLOCK_SIZE) {
    if (blockHasData(plaintext, words, at, Math.min(plaintext.length, at + DATA_BLOCK_SIZE))) blocks++;
  }
  return blocks;
}

/**
 * The most data blocks a piece of `length` bytes can have.
 * @param {number} length
 */
export function maxDataBlocks(length) {
  return Math.ceil(length / DATA_BLOCK_SIZE);
}

/**
 * A stored chunk's id: SHA-256 of the stored token, 64 lowercase hex characters.
 * @param {Uint8Array} stored
 */
export async function chunkId(stored) {
  return hexEncode(await sha256(stored));
}

/**
 * @param {import('./fernet.js').FernetKey} fileKey imported once per file
 * @param {Uint8Array} piece
 * @param {number} dataBlocks
 * @returns {Promise<EncryptedChunk>}
 */
async function encryptCounted(fileKey, piece, dataBlocks) {
  const stored = await fernetEncryptRaw(fileKey, piece);
  return { id: await chunkId(stored), stored, mac: stored.slice(stored.length - MAC_SIZE), dataBlocks };
}

/**
 * @param {import('./fernet.js').FernetKey} fileKey
 * @param {Uint8Array} piece
 */
export function encryptChunk(fileKey, piece) {
  return encryptCounted(fileKey, piece, countDataBlocks(piece));
}

/**
 * The piece encrypted, or null for a hole (every byte zero).
 * @param {import('./fernet.js').FernetKey} fileKey
 * @param {Uint8Array} piece
 * @returns {Promise<EncryptedChunk | null>}
 */
export async function encryptChunkOrHole(fileKey, piece) {
  const dataBlocks = countDataBlocks(piece);
  return dataBlocks === 0 ? null : encryptCounted(fileKey, piece, dataBlocks);
}

/**
 * Refuses (integrity) a token that is not the one the manifest names (another MAC) or does not
 * verify under the file key. The caller checks the plaintext's length against the file.
 * @param {import('./fernet.js').FernetKey} fileKey
 * @param {Uint8Array} expectedMac from the manifest
 * @param {Uint8Array} stored as the server sent it
 */
export async function decryptChunk(fileKey, expectedMac, stored) {
  if (stored.length < FERNET_MIN_RAW_SIZE || !constantTimeEqual(stored.subarray(stored.length - MAC_SIZE), expectedMac)) {
    throw integrityError('chunk: not the token the manifest names (another MAC)');
  }
  try {
    return await fernetDecryptRaw(fileKey, stored);
  } catch {
    throw integrityError('chunk: does not verify under the file key');
  }
}
