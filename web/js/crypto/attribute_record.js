// Attribute records (docs/crypto.md 12.3), sealed under subkey(node key, attributes):
//   'A' 0x02 | node id | u64 revision | attributes block

import { ByteReader } from './byte_reader.js';
import { ByteWriter } from './byte_writer.js';
import { checkAttributes, readAttributes, writeAttributes } from './attributes_codec.js';
import { integrityError, invalidArgument } from './errors.js';
import { fernetDecryptRaw, fernetEncryptRaw } from './fernet.js';
import { isSealableNodeId, readNodeId, RecordKind, recordHeaderDefect, writeNodeId, writeRecordHeader } from './record_header.js';
import { fernetSubkey, KeyPurpose } from './subkeys.js';

/**
 * @typedef {object} AttributeRecord
 * @property {string} nodeId
 * @property {bigint} revision
 * @property {import('./attributes_codec.js').Attributes} attributes
 */

/** @param {string} defect */
function badRecord(defect) {
  return integrityError(`attribute record: ${defect}`);
}

/** @param {AttributeRecord} record */
export function encodeAttributeRecord(record) {
  const out = new ByteWriter();
  writeRecordHeader(out, RecordKind.attributes);
  writeNodeId(out, record.nodeId);
  out.u64(record.revision);
  writeAttributes(out, record.attributes);
  return out.take();
}

/**
 * @param {Uint8Array} plaintext
 * @returns {AttributeRecord}
 */
export function decodeAttributeRecord(plaintext) {
  const reader = new ByteReader(plaintext);
  const defect = recordHeaderDefect(reader, RecordKind.attributes);
  if (defect) throw badRecord(defect);
  const record = { nodeId: readNodeId(reader), revision: reader.u64(), attributes: readAttributes(reader) };
  if (!reader.finished()) throw badRecord('malformed or trailing bytes');
  return record;
}

/**
 * @param {Uint8Array} nodeKey
 * @param {AttributeRecord} record
 */
export async function sealAttributeRecord(nodeKey, record) {
  if (!isSealableNodeId(record.nodeId)) throw invalidArgument('attribute record: node id must be 1 to 255 bytes');
  checkAttributes(record.attributes);
  return fernetEncryptRaw(await fernetSubkey(nodeKey, KeyPurpose.attributes), encodeAttributeRecord(record));
}

/**
 * Refuses (integrity) a token that does not verify, a malformed record, or another node's.
 * @param {Uint8Array} nodeKey
 * @param {string} expectedNodeId
 * @param {Uint8Array} sealed
 */
export async function openAttributeRecord(nodeKey, expectedNodeId, sealed) {
  let plaintext;
  try {
    plaintext = await fernetDecryptRaw(await fernetSubkey(nodeKey, KeyPurpose.attributes), sealed);
  } catch {
    throw badRecord('does not verify under the node key');
  }
  const record = decodeAttributeRecord(plaintext);
  if (record.nodeId !== expectedNodeId) throw badRecord('belongs to another node');
  return record;
}
