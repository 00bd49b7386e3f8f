// Every record starts with a kind byte and a format version (docs/crypto.md sections 12, 12.7).

export const RecordKind = Object.freeze({
  manifest: 0x4d, // M
  attributes: 0x41, // A
  entry: 0x45, // E
  folder: 0x46, // F
  grant: 0x47, // G
});

const RECORD_FORMAT_VERSION = 0x02;
const MANIFEST_FORMAT_VERSION = 0x03;
export const MAX_NODE_ID_SIZE = 255;

/** @param {number} kind */
function formatVersion(kind) {
  return kind === RecordKind.manifest ? MANIFEST_FORMAT_VERSION : RECORD_FORMAT_VERSION;
}

/**
 * @param {import('./byte_writer.js').ByteWriter} out
 * @param {number} kind
 */
export function writeRecordHeader(out, kind) {
  out.u8(kind);
  out.u8(formatVersion(kind));
}

/**
 * @param {import('./byte_reader.js').ByteReader} reader
 * @param {number} kind
 * @returns {string | null} the defect, or null for a current header of this kind
 */
export function recordHeaderDefect(reader, kind) {
  const readKind = reader.u8();
  const version = reader.u8();
  if (!reader.ok()) return 'truncated header';
  if (readKind !== kind) return 'a record of another kind';
  if (version === 1) return 'format version 1 is no longer read';
  if (version === 2 && kind === RecordKind.manifest) return 'format version 2 is no longer read';
  if (version !== formatVersion(kind)) return 'unknown format version';
  return null;
}

/**
 * Node ids: u16 length 1..255, then the bytes (the API's 32 lowercase hex characters).
 * @param {import('./byte_writer.js').ByteWriter} out
 * @param {string} nodeId
 */
export function writeNodeId(out, nodeId) {
  out.shortText(nodeId);
}

/** @param {import('./byte_reader.js').ByteReader} reader */
export function readNodeId(reader) {
  return reader.shortText(1, MAX_NODE_ID_SIZE);
}

/**
 * True for a node id that fits the record format: 1 to 255 bytes.
 * @param {string} nodeId
 */
export function isSealableNodeId(nodeId) {
  const size = new TextEncoder().encode(nodeId).length;
  return size >= 1 && size <= MAX_NODE_ID_SIZE;
}
