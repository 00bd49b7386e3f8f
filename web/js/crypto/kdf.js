// Login derivation from the password (docs/crypto.md section 5):
//   secret   = scrypt(password as UTF-8, salt, N, r, p, 32 bytes)
//   auth_key = HKDF(secret, "coffer/v1/auth")   -- sent to the server
//   kek      = HKDF(secret, "coffer/v1/kek")    -- opens the key bundle, never leaves the browser
// The parameters come from the server, so they are checked against the same bounds as the C++
// client before any work: a hostile server must not make a login allocate gigabytes.

import { scryptAsync } from '../../vendor/noble-hashes/scrypt.js';
import { base64urlDecode } from './base64url.js';
import { utf8, wipe } from './bytes.js';
import { invalidArgument } from './errors.js';
import { hkdf } from './hkdf.js';

const MIN_N = 2 ** 14;
const MAX_N = 2 ** 22;
const MAX_R = 32;
const MAX_P = 16;
const MAX_MEMORY = 2 ** 30;
const MIN_SALT = 16;
const MAX_SALT = 64;
const MAXMEM_SLACK = 2 ** 20;

/** @typedef {{ algorithm: string, n: number, r: number, p: number, salt: Uint8Array }} KdfParams */
/** @typedef {{ authKey: import('./bytes.js').Bytes, kek: import('./bytes.js').Bytes }} LoginKeys */

/** @param {string} defect */
function badParams(defect) {
  return invalidArgument(`KDF parameters: ${defect}`);
}

/** @param {KdfParams} params scrypt's working memory: 128·r·(N + p) */
function scryptMemory(params) {
  return 128 * params.r * (params.n + params.p);
}

/** @param {unknown} value */
function isCount(value) {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * Refuses (invalid_argument) what the C++ KdfParams::validate refuses.
 * @param {KdfParams} params
 */
export function validateKdfParams(params) {
  if (params.algorithm !== 'scrypt') throw badParams('only scrypt is supported');
  const { n, r, p } = params;
  if (!isCount(n) || n < MIN_N || n > MAX_N || (n & (n - 1)) !== 0) {
    throw badParams('n must be a power of two from 2^14 to 2^22');
  }
  if (!isCount(r) || r < 1 || r > MAX_R) throw badParams('r must be from 1 to 32');
  if (!isCount(p) || p < 1 || p > MAX_P) throw badParams('p must be from 1 to 16');
  if (scryptMemory(params) > MAX_MEMORY) throw badParams('n and r together need more than 1 GiB');
  if (!(params.salt instanceof Uint8Array) || params.salt.length < MIN_SALT || params.salt.length > MAX_SALT) {
    throw badParams('the salt must be 16 to 64 bytes');
  }
}

/**
 * The "kdf" object of GET /v1/auth/params (docs/api.md), its salt decoded.
 * @param {{ algorithm: unknown, n: unknown, r: unknown, p: unknown, salt: unknown }} json
 * @returns {KdfParams}
 */
export function kdfParamsFromJson(json) {
  if (typeof json.algorithm !== 'string' || !isCount(json.n) || !isCount(json.r) || !isCount(json.p)) {
    throw badParams('algorithm, n, r and p are needed');
  }
  if (typeof json.salt !== 'string') throw badParams('the salt is not base64url text');
  let salt;
  try {
    salt = base64urlDecode(json.salt);
  } catch {
    throw badParams('the salt is not base64url text');
  }
  const params = { algorithm: json.algorithm, n: Number(json.n), r: Number(json.r), p: Number(json.p), salt };
  validateKdfParams(params);
  return params;
}

/**
 * scrypt(password, params), 32 bytes, after checking the parameters: the secret the login keys
 * derive from, and the one a password-protected share link mixes into its key (link_seal.js).
 * @param {string} password as typed: no normalisation
 * @param {KdfParams} params
 * @param {(progress: number) => void} [onProgress] 0..1, while scrypt runs
 * @returns {Promise<import('./bytes.js').Bytes>} the caller wipes it when done
 */
export async function passwordSecret(password, params, onProgress) {
  validateKdfParams(params);
  const passwordBytes = utf8(password);
  const maxmem = scryptMemory(params) + MAXMEM_SLACK;
  let secret;
  try {
    secret = await scryptAsync(passwordBytes, params.salt, { N: params.n, r: params.r, p: params.p, dkLen: 32, maxmem, onProgress });
    return new Uint8Array(secret);
  } finally {
    wipe(passwordBytes, secret);
  }
}

/**
 * @param {string} password as typed: no normalisation
 * @param {KdfParams} params
 * @param {(progress: number) => void} [onProgress] 0..1, while scrypt runs
 * @returns {Promise<LoginKeys>} the caller wipes both when done
 */
export async function deriveLoginKeys(password, params, onProgress) {
  const secret = await passwordSecret(password, params, onProgress);
  try {
    return { authKey: await hkdf(secret, 'coffer/v1/auth'), kek: await hkdf(secret, 'coffer/v1/kek') };
  } finally {
    wipe(secret);
  }
}
