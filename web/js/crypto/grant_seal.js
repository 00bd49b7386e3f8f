// Sealed grants (docs/crypto.md section 9): a node key sealed by granter A for grantee B.
//   ikm      = X25519(eph_priv, pub_B) || X25519(priv_A, pub_B)
//   wrapping = HKDF(ikm, "coffer/v1/grant", salt = eph_pub || pub_A || pub_B)
//   sealed   = eph_pub || fernet_encrypt_raw(wrapping, plaintext)
// plaintext: 'G' 0x02 | node id | owner | grantee | node name | u8 flags | node key (32).
// pub_A and pub_B come from the server: the caller checks them against the keys it remembers
// (trust on first use) before sealing or opening.

import { ByteReader } from './byte_reader.js';
import { ByteWriter } from './byte_writer.js';
import { concatBytes, wipe } from './bytes.js';
import { integrityError, invalidArgument } from './errors.js';
import { FERNET_KEY_SIZE, FERNET_MIN_RAW_SIZE, fernetDecryptRaw, fernetEncryptRaw, importFernetKey } from './fernet.js';
import { hkdf } from './hkdf.js';
import { isValidName } from './names.js';
import { isSealableNodeId, readNodeId, RecordKind, recordHeaderDefect, writeNodeId, writeRecordHeader } from './record_header.js';
import { generateEphemeralX25519, x25519, X25519_KEY_SIZE } from './x25519.js';

const MAX_USER_NAME_SIZE = 64;
const MAX_NAME_SIZE = 255;
const FOLDER_FLAG = 0x01;

/**
 * @typedef {object} GrantPayload
 * @property {string} nodeId the shared node
 * @property {string} owner the node owner's user name
 * @property {string} grantee the grantee's user name
 * @property {Uint8Array} name the node's name as the granter saw it (a valid name)
 * @property {boolean} isFolder
 * @property {Uint8Array} key the node key's 32 bytes
 */

/** @param {string} defect */
function badGrant(defect) {
  return integrityError(`sealed grant: ${defect}`);
}

/** @param {string} name */
function isUserName(name) {
  const size = new TextEncoder().encode(name).length;
  return size >= 1 && size <= MAX_USER_NAME_SIZE;
}

/**
 * The plaintext; it holds the key, so the caller wipes it.
 * @param {GrantPayload} payload
 */
function encodeGrant(payload) {
  const out = new ByteWriter();
  writeRecordHeader(out, RecordKind.grant);
  writeNodeId(out, payload.nodeId);
  out.shortText(payload.owner);
  out.shortText(payload.grantee);
  out.shortBytes(payload.name);
  out.u8(payload.isFolder ? FOLDER_FLAG : 0);
  return concatBytes(out.take(), payload.key);
}

/**
 * @param {Uint8Array} plaintext
 * @returns {GrantPayload}
 */
function decodeGrant(plaintext) {
  const reader = new ByteReader(plaintext);
  const defect = recordHeaderDefect(reader, RecordKind.grant);
  if (defect) throw badGrant(defect);
  const nodeId = readNodeId(reader);
  const owner = reader.shortText(1, MAX_USER_NAME_SIZE);
  const grantee = reader.shortText(1, MAX_USER_NAME_SIZE);
  const name = reader.shortBytes(1, MAX_NAME_SIZE);
  const flags = reader.u8();
  const key = reader.raw(FERNET_KEY_SIZE);
  if (!reader.finished() || (flags & ~FOLDER_FLAG) !== 0) {
    wipe(key);
    throw badGrant('malformed or trailing bytes');
  }
  if (!isValidName(name)) {
    wipe(key);
    throw badGrant('not a valid name');
  }
  return { nodeId, owner, grantee, name, isFolder: (flags & FOLDER_FLAG) !== 0, key };
}

/**
 * Both agreements, each side with its own private keys, into the grant's Fernet key.
 * @param {{ ephemeralPrivate: CryptoKey, ephemeralPeer: Uint8Array, staticPrivate: CryptoKey, staticPeer: Uint8Array,
 *           ephemeralPublic: Uint8Array, granterPublic: Uint8Array, granteePublic: Uint8Array }} parts
 */
async function grantWrappingKey(parts) {
  const ephemeral = await x25519(parts.ephemeralPrivate, parts.ephemeralPeer);
  const identity = await x25519(parts.staticPrivate, parts.staticPeer);
  const ikm = concatBytes(ephemeral, identity);
  const salt = concatBytes(parts.ephemeralPublic, parts.granterPublic, parts.granteePublic);
  let keyBytes;
  try {
    keyBytes = await hkdf(ikm, 'coffer/v1/grant', salt);
    return await importFernetKey(keyBytes);
  } finally {
    wipe(ephemeral, identity, ikm, keyBytes);
  }
}

/**
 * Seals `payload` for the grantee. A malformed grantee key (not 32 bytes, low order) is
 * invalid_argument; so are names no grant can carry (a caller bug).
 * @param {import('./x25519.js').X25519Identity} granter
 * @param {Uint8Array} granteePublic
 * @param {GrantPayload} payload
 * @returns {Promise<import('./bytes.js').Bytes>}
 */
export async function sealGrant(granter, granteePublic, payload) {
  if (!isSealableNodeId(payload.nodeId) || !isUserName(payload.owner) || !isUserName(payload.grantee) || !isValidName(payload.name)) {
    throw invalidArgument('sealed grant: a node id, two user names and a valid name are needed');
  }
  if (payload.key.length !== FERNET_KEY_SIZE) throw invalidArgument('sealed grant: a node key is 32 bytes');
  if (granteePublic.length !== X25519_KEY_SIZE) throw invalidArgument('a public key is 32 bytes');
  const ephemeral = await generateEphemeralX25519();
  const wrapping = await grantWrappingKey({
    ephemeralPrivate: ephemeral.privateKey,
    ephemeralPeer: granteePublic,
    staticPrivate: granter.privateKey,
    staticPeer: granteePublic,
    ephemeralPublic: ephemeral.publicKey,
    granterPublic: granter.publicKey,
    granteePublic,
  });
  const plaintext = encodeGrant(payload);
  try {
    return concatBytes(ephemeral.publicKey, await fernetEncryptRaw(wrapping, plaintext));
  } finally {
    wipe(plaintext);
  }
}

/**
 * Opens a grant for `grantee`; integrity when it does not open between these two identities,
 * is malformed, or names another node or grantee than expected.
 * @param {import('./x25519.js').X25519Identity} grantee
 * @param {Uint8Array} granterPublic
 * @param {Uint8Array} sealed
 * @param {string} expectedNodeId the grant's node as the server lists it
 * @param {string} expectedGrantee the caller's own user name
 * @returns {Promise<GrantPayload>} the caller wipes payload.key when done
 */
export async function openGrant(grantee, granterPublic, sealed, expectedNodeId, expectedGrantee) {
  if (sealed.length < X25519_KEY_SIZE + FERNET_MIN_RAW_SIZE) throw badGrant('too short');
  if (granterPublic.length !== X25519_KEY_SIZE) throw badGrant("the granter's public key is not 32 bytes");
  const ephemeralPublic = sealed.subarray(0, X25519_KEY_SIZE);
  let wrapping;
  try {
    wrapping = await grantWrappingKey({
      ephemeralPrivate: grantee.privateKey,
      ephemeralPeer: ephemeralPublic,
      staticPrivate: grantee.privateKey,
      staticPeer: granterPublic,
      ephemeralPublic,
      granterPublic,
      granteePublic: grantee.publicKey,
    });
  } catch {
    throw badGrant('an invalid public key');
  }
  let plaintext;
  try {
    plaintext = await fernetDecryptRaw(wrapping, sealed.subarray(X25519_KEY_SIZE));
  } catch {
    throw badGrant("does not verify between these two users' keys");
  }
  try {
    const payload = decodeGrant(plaintext);
    const defect = payload.nodeId !== expectedNodeId ? 'made for another node' : payload.grantee !== expectedGrantee ? 'made for another user' : null;
    if (defect) {
      wipe(payload.key);
      throw badGrant(defect);
    }
    return payload;
  } finally {
    wipe(plaintext);
  }
}
