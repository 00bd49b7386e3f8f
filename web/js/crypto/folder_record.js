// Folder records (docs/crypto.md 12.5), sealed under subkey(folder key, folder):
//   'F' 0x02 | node id | u64 revision | u64 entry count | commitment (32 bytes, 12.6)

import { ByteReader } from './byte_reader.js';
import { ByteWriter } from './byte_writer.js';
import { integrityError, invalidArgument } from './errors.js';
import { fernetDecryptRaw, fernetEncryptRaw } from './fernet.js';
import { isSealableNodeId, readNodeId, RecordKind, recordHeaderDefect, writeNodeId, writeRecordHeader } from './record_header.js';
import { fernetSubkey, KeyPurpose } from './subkeys.js';

const COMMITMENT_SIZE = 32;

/**
 * @typedef {object} FolderRecord
 * @property {string} nodeId
 * @property {bigint} revision of the folder's entry set
 * @property {bigint} entryCount
 * @property {Uint8Array} commitment 32 bytes
 */

/** @param {string} defect */
function badFolderRecord(defect) {
  return integrityError(`folder record: ${defect}`);
}

/** @param {FolderRecord} record */
export function encodeFolderRecord(record) {
  if (record.commitment.length !== COMMITMENT_SIZE) throw invalidArgument('folder record: a commitment is 32 bytes');
  const out = new ByteWriter();
  writeRecordHeader(out, RecordKind.folder);
  writeNodeId(out, record.nodeId);
  out.u64(record.revision);
  out.u64(record.entryCount);
  out.raw(record.commitment);
  return out.take();
}

/**
 * @param {Uint8Array} plaintext
 * @returns {FolderRecord}
 */
export function decodeFolderRecord(plaintext) {
  const reader = new ByteReader(plaintext);
  const defect = recordHeaderDefect(reader, RecordKind.folder);
  if (defect) throw badFolderRecord(defect);
  const record = { nodeId: readNodeId(reader), revision: reader.u64(), entryCount: reader.u64(), commitment: reader.raw(COMMITMENT_SIZE) };
  if (!reader.finished()) throw badFolderRecord('malformed or trailing bytes');
  return record;
}

/**
 * @param {Uint8Array} folderKey
 * @param {FolderRecord} record
 */
export async function sealFolderRecord(folderKey, record) {
  if (!isSealableNodeId(record.nodeId)) throw invalidArgument('folder record: node id must be 1 to 255 bytes');
  return fernetEncryptRaw(await fernetSubkey(folderKey, KeyPurpose.folder), encodeFolderRecord(record));
}

/**
 * Refuses (integrity) a token that does not verify, a malformed record, or another folder's.
 * @param {Uint8Array} folderKey
 * @param {string} expectedNodeId
 * @param {Uint8Array} sealed
 */
export async function openFolderRecord(folderKey, expectedNodeId, sealed) {
  let plaintext;
  try {
    plaintext = await fernetDecryptRaw(await fernetSubkey(folderKey, KeyPurpose.folder), sealed);
  } catch {
    throw badFolderRecord('does not verify under the folder key');
  }
  const record = decodeFolderRecord(plaintext);
  if (record.nodeId !== expectedNodeId) throw badFolderRecord('belongs to another folder');
  return record;
}
