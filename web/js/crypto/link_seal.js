// Share links for people without an account (docs/crypto.md "Links"), byte for byte as the C++
// shared/crypto/link_seal.*:
//   URL        = {base}/l/{B64URL(link_id, 16 bytes)}#{B64URL(secret, 32 bytes)}; the fragment
//                never reaches the server
//   ikm        = secret, or secret || scrypt(password, link salt, n, r, p, 32) with a password
//   seal key   = HKDF-SHA256(ikm, salt empty, info "coffer link seal v1" || link_id bytes)
//   sealed_key = fernet_raw(seal key, 0x01 || 'F'|'D' || node id (16 bytes) || node key (32))
//   label      = fernet_raw(subkey(master key, link_label), path as UTF-8)

import { base64urlDecode, base64urlEncode } from './base64url.js';
import { concatBytes, utf8, utf8Text, webBytes, wipe } from './bytes.js';
import { integrityError, invalidArgument } from './errors.js';
import { FERNET_KEY_SIZE, fernetDecryptRaw, fernetEncryptRaw, importFernetKey } from './fernet.js';
import { hexDecode, hexEncode } from './hex.js';
import { kdfParamsFromJson, passwordSecret } from './kdf.js';
import { randomBytes } from './random.js';
import { fernetSubkey, KeyPurpose } from './subkeys.js';

export const LINK_ID_SIZE = 16;
export const LINK_SECRET_SIZE = 32;
export const LINK_PASSWORD_SALT_SIZE = 16;

const FORMAT = 0x01;
const NODE_ID_SIZE = 16;
const PLAINTEXT_SIZE = 2 + NODE_ID_SIZE + FERNET_KEY_SIZE;
const SEAL_INFO = 'coffer link seal v1';
const KIND_BYTES = Object.freeze({ file: 0x46, folder: 0x44 }); // 'F', 'D'

/** @typedef {'file' | 'folder'} LinkKind */

/**
 * @typedef {object} LinkTarget
 * @property {LinkKind} kind
 * @property {string} nodeId 32 lowercase hex characters
 * @property {Uint8Array} key the node key's 32 bytes
 */

/** @param {string} defect */
function badLink(defect) {
  return integrityError(`link key: ${defect}`);
}

/** A fresh link id (16 random bytes), chosen by the creator. */
export function newLinkId() {
  return randomBytes(LINK_ID_SIZE);
}

/** A fresh link secret (32 random bytes), the URL's fragment. */
export function newLinkSecret() {
  return randomBytes(LINK_SECRET_SIZE);
}

/** A fresh salt for a password-protected link's scrypt. */
export function newLinkPasswordSalt() {
  return randomBytes(LINK_PASSWORD_SALT_SIZE);
}

/**
 * ikm = secret, or secret || scrypt(password, params) with a password; params.salt is the link's
 * own salt (the "password" object's "salt").
 * @param {Uint8Array} secret 32 bytes
 * @param {string | null} [password]
 * @param {import('./kdf.js').KdfParams | null} [params] needed with a password
 * @param {(progress: number) => void} [onProgress]
 * @returns {Promise<import('./bytes.js').Bytes>} the caller wipes it
 */
export async function linkIkm(secret, password = null, params = null, onProgress = undefined) {
  if (!(secret instanceof Uint8Array) || secret.length !== LINK_SECRET_SIZE) throw invalidArgument('a link secret is 32 bytes');
  if (password === null || password === undefined) return new Uint8Array(secret);
  if (!params) throw invalidArgument('a password link needs its KDF parameters');
  const stretched = await passwordSecret(password, params, onProgress);
  try {
    return concatBytes(secret, stretched);
  } finally {
    wipe(stretched);
  }
}

/**
 * The KDF parameters of a link's "password" object as GET /v1/links/{id} gives it:
 * n, r, p from "kdf", the salt from "salt" (the link's own).
 * @param {{ salt: unknown, kdf: { algorithm: unknown, n: unknown, r: unknown, p: unknown, salt: unknown } }} json
 * @returns {import('./kdf.js').KdfParams}
 */
export function linkKdfParamsFromJson(json) {
  if (typeof json.salt !== 'string' || typeof json.kdf !== 'object' || json.kdf === null) {
    throw invalidArgument('a link password needs a salt and KDF parameters');
  }
  return kdfParamsFromJson({ ...json.kdf, salt: json.salt });
}

/**
 * The seal key's 32 bytes: HKDF-SHA256(ikm, salt empty, info "coffer link seal v1" || link_id).
 * @param {Uint8Array} ikm
 * @param {Uint8Array} linkId 16 bytes
 * @returns {Promise<import('./bytes.js').Bytes>} the caller wipes them
 */
export async function linkSealKeyBytes(ikm, linkId) {
  if (!(linkId instanceof Uint8Array) || linkId.length !== LINK_ID_SIZE) throw invalidArgument('a link id is 16 bytes');
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', webBytes(ikm), 'HKDF', false, ['deriveBits']);
  const info = concatBytes(utf8(SEAL_INFO), linkId);
  const params = { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info };
  return new Uint8Array(await subtle.deriveBits(params, key, 256));
}

/**
 * The seal key imported as a Fernet key; its bytes are wiped at once.
 * @param {Uint8Array} ikm
 * @param {Uint8Array} linkId
 * @returns {Promise<import('./fernet.js').FernetKey>}
 */
export async function linkSealKey(ikm, linkId) {
  const bytes = await linkSealKeyBytes(ikm, linkId);
  try {
    return await importFernetKey(bytes);
  } finally {
    wipe(bytes);
  }
}

/**
 * The plaintext a sealed link key holds: 0x01 || 'F'|'D' || node id || node key.
 * @param {LinkTarget} target
 * @returns {import('./bytes.js').Bytes} the caller wipes it
 */
export function encodeLinkTarget(target) {
  const kindByte = KIND_BYTES[target.kind];
  if (kindByte === undefined) throw invalidArgument('a link is to a file or a folder');
  if (typeof target.nodeId !== 'string' || !/^[0-9a-f]{32}$/.test(target.nodeId)) {
    throw invalidArgument('a node id is 32 lowercase hex characters');
  }
  if (!(target.key instanceof Uint8Array) || target.key.length !== FERNET_KEY_SIZE) throw invalidArgument('a node key is 32 bytes');
  const out = new Uint8Array(PLAINTEXT_SIZE);
  out[0] = FORMAT;
  out[1] = kindByte;
  out.set(hexDecode(target.nodeId), 2);
  out.set(target.key, 2 + NODE_ID_SIZE);
  return out;
}

/**
 * @param {import('./fernet.js').FernetKey} sealKey
 * @param {LinkTarget} target
 * @returns {Promise<import('./bytes.js').Bytes>} the raw token the server keeps as sealed_key
 */
export async function sealLinkKey(sealKey, target) {
  const plaintext = encodeLinkTarget(target);
  try {
    return await fernetEncryptRaw(sealKey, plaintext);
  } finally {
    wipe(plaintext);
  }
}

/**
 * Opens a sealed link key; integrity when it does not verify under this key (a wrong URL or
 * password), is malformed, or names another kind or node than the server says.
 * @param {import('./fernet.js').FernetKey} sealKey
 * @param {Uint8Array} sealed
 * @param {{ kind: LinkKind, nodeId: string }} expected what the server says
 * @returns {Promise<LinkTarget>}
 */
export async function openLinkKey(sealKey, sealed, expected) {
  let plaintext;
  try {
    plaintext = await fernetDecryptRaw(sealKey, sealed);
  } catch {
    throw badLink('does not open with this URL (and password)');
  }
  try {
    if (plaintext.length !== PLAINTEXT_SIZE || plaintext[0] !== FORMAT) throw badLink('unknown format');
    const kind = plaintext[1] === KIND_BYTES.folder ? 'folder' : plaintext[1] === KIND_BYTES.file ? 'file' : null;
    if (kind === null) throw badLink('unknown kind');
    const nodeId = hexEncode(plaintext.subarray(2, 2 + NODE_ID_SIZE));
    if (kind !== expected.kind) throw badLink('made for another kind of node than the server says');
    if (nodeId !== expected.nodeId) throw badLink('made for another node than the server says');
    return { kind, nodeId, key: plaintext.slice(2 + NODE_ID_SIZE) };
  } finally {
    wipe(plaintext);
  }
}

/**
 * The label the server keeps for the creator's list of links: the path, sealed under
 * subkey(master key, link_label).
 * @param {Uint8Array} masterKeyBytes
 * @param {string} path
 * @returns {Promise<import('./bytes.js').Bytes>}
 */
export async function sealLinkLabel(masterKeyBytes, path) {
  const key = await fernetSubkey(masterKeyBytes, KeyPurpose.linkLabel);
  return fernetEncryptRaw(key, utf8(path));
}

/**
 * @param {Uint8Array} masterKeyBytes
 * @param {Uint8Array} label
 * @returns {Promise<string>} integrity when it does not open
 */
export async function openLinkLabel(masterKeyBytes, label) {
  const key = await fernetSubkey(masterKeyBytes, KeyPurpose.linkLabel);
  let plaintext;
  try {
    plaintext = await fernetDecryptRaw(key, label);
  } catch {
    throw integrityError("link label: does not open with this account's key");
  }
  const text = utf8Text(plaintext);
  if (text === null) throw integrityError('link label: not UTF-8 text');
  return text;
}

/**
 * `{base}/l/{B64URL(link id)}#{B64URL(secret)}`; trailing '/' of base dropped.
 * @param {string} baseUrl
 * @param {Uint8Array} linkId
 * @param {Uint8Array} secret
 */
export function linkUrl(baseUrl, linkId, secret) {
  return `${baseUrl.replace(/\/+$/, '')}/l/${base64urlEncode(linkId)}#${base64urlEncode(secret)}`;
}

/**
 * The link id (its text and bytes) and secret of a link URL, or of a link page's location
 * (pathname "/l/ID", hash "#SECRET"). invalid_argument for anything else.
 * @param {string} url
 * @returns {{ linkId: string, linkIdBytes: Uint8Array, secret: Uint8Array }}
 */
export function parseLinkUrl(url) {
  // Some programs that pass URLs on escape '=' as %3D.
  const match = /\/l\/([A-Za-z0-9_=-]+)#([A-Za-z0-9_=-]+)$/.exec(url.replace(/%3D/gi, '='));
  if (!match) throw invalidArgument('not a Coffer link: /l/ID#SECRET is expected');
  let linkIdBytes;
  let secret;
  try {
    linkIdBytes = base64urlDecode(match[1]);
    secret = base64urlDecode(match[2]);
  } catch {
    throw invalidArgument('not a Coffer link: the id or secret is not base64url');
  }
  if (linkIdBytes.length !== LINK_ID_SIZE || secret.length !== LINK_SECRET_SIZE) {
    throw invalidArgument('not a Coffer link: the id or secret has the wrong size');
  }
  return { linkId: match[1], linkIdBytes, secret };
}
