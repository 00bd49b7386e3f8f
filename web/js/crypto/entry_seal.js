// Sealed entries (docs/crypto.md 12.4): a directory entry's key (the API's wrapped_key) sealed
// under subkey(parent folder key, entry) with everything that places it:
//   'E' 0x02 | parent id | node id | name tag (32 raw bytes) | node key (32)

import { ByteReader } from './byte_reader.js';
import { ByteWriter } from './byte_writer.js';
import { concatBytes, wipe } from './bytes.js';
import { integrityError, invalidArgument } from './errors.js';
import { FERNET_KEY_SIZE, FERNET_MIN_RAW_SIZE, fernetDecryptRaw, fernetEncryptRaw } from './fernet.js';
import { hexDecode, hexEncode } from './hex.js';
import { isSealableNodeId, readNodeId, RecordKind, recordHeaderDefect, writeNodeId, writeRecordHeader } from './record_header.js';
import { fernetSubkey, KeyPurpose } from './subkeys.js';

const NAME_TAG_SIZE = 32;
const MAC_SIZE = 32;

/**
 * Where an entry sits: its folder, the node it points at and its name's tag (64 hex).
 * @typedef {{ parentId: string, nodeId: string, nameTag: string }} EntryBinding
 */

/** @param {string} defect */
function badEntry(defect) {
  return integrityError(`sealed entry: ${defect}`);
}

/** @param {string} hex */
function rawNameTag(hex) {
  const raw = /^[0-9a-f]{64}$/.test(hex) ? hexDecode(hex) : null;
  if (!raw) throw invalidArgument('sealed entry: a name tag is 64 hex characters');
  return raw;
}

/**
 * The plaintext; it holds the key, so the caller wipes it.
 * @param {EntryBinding} binding
 * @param {Uint8Array} nodeKey
 */
export function encodeEntryRecord(binding, nodeKey) {
  if (nodeKey.length !== FERNET_KEY_SIZE) throw invalidArgument('sealed entry: a node key is 32 bytes');
  const out = new ByteWriter();
  writeRecordHeader(out, RecordKind.entry);
  writeNodeId(out, binding.parentId);
  writeNodeId(out, binding.nodeId);
  out.raw(rawNameTag(binding.nameTag));
  return concatBytes(out.take(), nodeKey);
}

/**
 * @param {Uint8Array} plaintext
 * @returns {{ binding: EntryBinding, nodeKey: import('./bytes.js').Bytes }}
 */
export function decodeEntryRecord(plaintext) {
  const reader = new ByteReader(plaintext);
  const defect = recordHeaderDefect(reader, RecordKind.entry);
  if (defect) throw badEntry(defect);
  const parentId = readNodeId(reader);
  const nodeId = readNodeId(reader);
  const nameTag = hexEncode(reader.raw(NAME_TAG_SIZE));
  const nodeKey = reader.raw(FERNET_KEY_SIZE);
  if (!reader.finished()) {
    wipe(nodeKey);
    throw badEntry('malformed or trailing bytes');
  }
  return { binding: { parentId, nodeId, nameTag }, nodeKey };
}

/**
 * @param {Uint8Array} parentKey
 * @param {EntryBinding} binding
 * @param {Uint8Array} nodeKey
 */
export async function sealEntryKey(parentKey, binding, nodeKey) {
  if (!isSealableNodeId(binding.parentId) || !isSealableNodeId(binding.nodeId)) {
    throw invalidArgument('sealed entry: ids must be 1 to 255 bytes');
  }
  const plaintext = encodeEntryRecord(binding, nodeKey);
  try {
    return await fernetEncryptRaw(await fernetSubkey(parentKey, KeyPurpose.entry), plaintext);
  } finally {
    wipe(plaintext);
  }
}

/**
 * The node key, if the sealed entry verifies under the parent's key and names this parent,
 * node and tag; integrity otherwise.
 * @param {Uint8Array} parentKey
 * @param {EntryBinding} expected
 * @param {Uint8Array} sealed
 * @returns {Promise<import('./bytes.js').Bytes>} the caller wipes it
 */
export async function openEntryKey(parentKey, expected, sealed) {
  let plaintext;
  try {
    plaintext = await fernetDecryptRaw(await fernetSubkey(parentKey, KeyPurpose.entry), sealed);
  } catch {
    throw badEntry("does not verify under the parent folder's key");
  }
  try {
    const { binding, nodeKey } = decodeEntryRecord(plaintext);
    const defect =
      binding.parentId !== expected.parentId ? 'belongs to another folder'
        : binding.nodeId !== expected.nodeId ? 'points at another node'
          : binding.nameTag !== expected.nameTag ? 'belongs to another name'
            : null;
    if (defect) {
      wipe(nodeKey);
      throw badEntry(defect);
    }
    return nodeKey;
  } finally {
    wipe(plaintext);
  }
}

/**
 * A raw token's MAC, its last 32 bytes: a leaf of the folder commitment, and a chunk's MAC in
 * a manifest. Integrity for a token too short to be Fernet.
 * @param {Uint8Array} rawToken
 */
export function tokenMac(rawToken) {
  if (rawToken.length < FERNET_MIN_RAW_SIZE) throw integrityError('token too short to carry a MAC');
  return rawToken.slice(rawToken.length - MAC_SIZE);
}
