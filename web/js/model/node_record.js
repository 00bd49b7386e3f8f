// A node's sealed attribute record as the C++ client writes and reads it (fs-daemon/sync/
// record_meta, vfs/entry_codec): the plaintext size and its content version ride in reserved
// xattrs (`coffer.size`, `coffer.version`, `coffer.stored`, u64 little-endian) so that a listing
// needs no manifest, and the sealed mode must be of the type the server names.
import { base64urlDecode } from '../crypto/base64url.js';
import { utf8 } from '../crypto/bytes.js';
import { integrityError } from '../crypto/errors.js';
import { openAttributeRecord } from '../crypto/attribute_record.js';

export const SIZE_KEY = 'coffer.size';
export const VERSION_KEY = 'coffer.version';
export const STORED_KEY = 'coffer.stored';
const RESERVED = [SIZE_KEY, VERSION_KEY, STORED_KEY];

export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;

/**
 * The server's NODE (docs/api.md).
 * @typedef {object} NodeJson
 * @property {string} node_id
 * @property {'file' | 'folder' | 'symlink' | 'special'} type
 * @property {string} owner
 * @property {string} attributes
 * @property {number} attributes_revision
 * @property {number} version
 * @property {number} size
 * @property {number} nlink
 * @property {number} folder_revision
 */

/** @param {number} mode @param {NodeJson['type']} type */
function modeFits(mode, type) {
  const format = mode & S_IFMT;
  if (type === 'folder') return format === S_IFDIR;
  if (type === 'file') return format === S_IFREG;
  if (type === 'symlink') return format === S_IFLNK;
  return [0o010000, 0o140000, 0o020000, 0o060000].includes(format);
}

/** @param {Uint8Array} name */
function textOf(name) {
  return new TextDecoder().decode(name);
}

/**
 * @param {import('../crypto/attributes_codec.js').Attributes} attributes
 * @param {string} key
 */
export function getMeta(attributes, key) {
  const found = attributes.xattrs.find(([name]) => textOf(name) === key);
  if (!found || found[1].length !== 8) return null;
  return new DataView(found[1].buffer, found[1].byteOffset, 8).getBigUint64(0, true);
}

/**
 * A copy with the reserved entries set (or replaced).
 * @param {import('../crypto/attributes_codec.js').Attributes} attributes
 * @param {Record<string, bigint>} meta
 */
export function withMeta(attributes, meta) {
  const keys = Object.keys(meta);
  const xattrs = attributes.xattrs.filter(([name]) => !keys.includes(textOf(name)));
  for (const [key, value] of Object.entries(meta)) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, value, true);
    xattrs.push([utf8(key), bytes]);
  }
  return { ...attributes, xattrs };
}

/**
 * A copy without the reserved entries: what a program sees.
 * @param {import('../crypto/attributes_codec.js').Attributes} attributes
 */
export function withoutMeta(attributes) {
  return { ...attributes, xattrs: attributes.xattrs.filter(([name]) => !RESERVED.includes(textOf(name))) };
}

/** The time now as a record's timestamp. */
export function nowTimestamp() {
  const ms = Date.now();
  return { sec: BigInt(Math.floor(ms / 1000)), nsec: (ms % 1000) * 1_000_000 };
}

/** @param {import('../crypto/attributes_codec.js').Timestamp} time */
export function dateOf(time) {
  return new Date(Number(time.sec) * 1000 + Math.floor(time.nsec / 1_000_000));
}

/**
 * Opens and checks a node's attribute record: it verifies under the node key, names this node,
 * carries the revision the server lists and a mode of the type the server names. Integrity
 * otherwise. The revision must not go back (the guard).
 * @param {import('./session.js').Session} session
 * @param {Uint8Array} key
 * @param {NodeJson} node
 */
export async function openNodeRecord(session, key, node) {
  let record;
  try {
    record = await openAttributeRecord(key, node.node_id, base64urlDecode(node.attributes));
  } catch (error) {
    throw integrityError(`node ${node.node_id}: ${error instanceof Error ? error.message : 'attribute record'}`);
  }
  if (record.revision !== BigInt(node.attributes_revision)) {
    throw integrityError(`node ${node.node_id}: the sealed revision differs from the server's`);
  }
  if (!modeFits(record.attributes.mode, node.type)) {
    throw integrityError(`node ${node.node_id}: the sealed mode is not of the type the server names`);
  }
  session.guard.attributeRevision(node.node_id, node.attributes_revision);
  return record;
}
