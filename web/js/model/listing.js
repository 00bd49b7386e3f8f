// openFolder: a folder's entries, every one verified (docs/crypto.md 15): the listing against
// the folder's sealed record, each name against its tag, each entry key against its folder,
// node and tag, each attribute record against its node, revision and type. Anything that
// fails is integrity: the listing throws rather than show one wrong entry.
import { base64urlDecode } from '../crypto/base64url.js';
import { integrityError, invalidArgument } from '../crypto/errors.js';
import { openEntryKey } from '../crypto/entry_seal.js';
import { decryptName, nameTag } from '../crypto/names.js';
import { openManifest } from '../crypto/manifest.js';
import { loadFolder } from './folder_state.js';
import { SIZE_KEY, VERSION_KEY, dateOf, getMeta, openNodeRecord } from './node_record.js';
import { call } from './session.js';

const OPEN_GROUP = 64;

/**
 * One verified entry of a folder (or a shared node, a link's node, a trash item's node).
 * @typedef {object} Entry
 * @property {string} name for display (UTF-8; bytes that are not become U+FFFD)
 * @property {Uint8Array} nameBytes the name as stored
 * @property {string} nodeId
 * @property {'file' | 'folder' | 'symlink' | 'special'} kind
 * @property {bigint} size plaintext bytes (a symlink's: its target's length)
 * @property {Date} mtime
 * @property {number} mode st_mode
 * @property {number} version the current content version (0: none)
 * @property {string} owner
 * @property {string | null} parentId null for a node reached without its folder (a share, a link)
 * @property {string | null} nameTag
 * @property {Uint8Array} key the node key (also in session.keys)
 * @property {import('./node_record.js').NodeJson} node as the server sent it
 * @property {import('../crypto/attribute_record.js').AttributeRecord} record the opened attribute record
 * @property {string | null} symlinkTarget
 */

/** @param {Uint8Array} bytes */
export function displayName(bytes) {
  return new TextDecoder().decode(bytes);
}

/**
 * @param {import('./session.js').Session} session
 * @param {string | { nodeId: string } | null | undefined} folder an id, an Entry, or null for the root
 */
export function folderIdOf(session, folder) {
  if (folder === null || folder === undefined) return session.rootId;
  return typeof folder === 'string' ? folder : folder.nodeId;
}

/**
 * @param {import('./session.js').Session} session
 * @param {string} id
 */
export function keyOf(session, id) {
  const key = session.keys.get(id);
  if (!key) throw invalidArgument(`node ${id}: no key is known for it in this session (list its folder first)`);
  return key;
}

/**
 * The plaintext size of a file: from its record when it names the current version, else from
 * the current manifest (a record another client wrote without it).
 * @param {import('./session.js').Session} session
 * @param {Uint8Array} key
 * @param {import('./node_record.js').NodeJson} node
 * @param {import('../crypto/attribute_record.js').AttributeRecord} record
 */
async function sizeOf(session, key, node, record) {
  if (node.type === 'symlink') return BigInt(record.attributes.symlinkTarget.length);
  if (node.type !== 'file' || node.version === 0) return 0n;
  const size = getMeta(record.attributes, SIZE_KEY);
  if (size !== null && getMeta(record.attributes, VERSION_KEY) === BigInt(node.version)) return size;
  const stored = await call(session, 'GET', `/v1/nodes/${node.node_id}/versions/${node.version}`);
  const manifest = await openManifest(key, node.node_id, base64urlDecode(stored.manifest));
  if (manifest.version !== BigInt(node.version) || stored.version !== node.version) {
    throw integrityError(`node ${node.node_id}: the server sent another version's manifest`);
  }
  return manifest.size;
}

/**
 * An Entry for a node whose key is known, its record verified.
 * @param {import('./session.js').Session} session
 * @param {import('./node_record.js').NodeJson} node
 * @param {Uint8Array} key
 * @param {{ nameBytes: Uint8Array, parentId: string | null, nameTag: string | null }} place
 * @returns {Promise<Entry>}
 */
export async function entryOfNode(session, node, key, place) {
  const record = await openNodeRecord(session, key, node);
  if (node.type === 'file') session.guard.contentVersion(node.node_id, node.version);
  session.keys.set(node.node_id, key);
  const target = record.attributes.symlinkTarget;
  return {
    name: displayName(place.nameBytes),
    nameBytes: place.nameBytes,
    nodeId: node.node_id,
    kind: node.type,
    size: await sizeOf(session, key, node, record),
    mtime: dateOf(record.attributes.mtime),
    mode: record.attributes.mode,
    version: node.version,
    owner: node.owner,
    parentId: place.parentId,
    nameTag: place.nameTag,
    key,
    node,
    record,
    symlinkTarget: node.type === 'symlink' ? displayName(target) : null,
  };
}

/**
 * Opens one sealed entry of a folder whose key is `folderKey`.
 * @param {import('./session.js').Session} session
 * @param {string} folderId
 * @param {Uint8Array} folderKey
 * @param {import('./folder_state.js').EntryJson} entry
 */
export async function openEntry(session, folderId, folderKey, entry) {
  const where = `folder ${folderId}, entry ${entry.name_tag}`;
  const nameBytes = await decryptName(folderKey, entry.name);
  if ((await nameTag(folderKey, nameBytes)) !== entry.name_tag) throw integrityError(`${where}: the name does not match its tag`);
  let key;
  try {
    key = await openEntryKey(folderKey, { parentId: folderId, nodeId: entry.node.node_id, nameTag: entry.name_tag }, base64urlDecode(entry.wrapped_key));
  } catch (error) {
    throw integrityError(`${where}: ${error instanceof Error ? error.message : 'the sealed entry'}`);
  }
  return entryOfNode(session, entry.node, key, { nameBytes, parentId: folderId, nameTag: entry.name_tag });
}

/**
 * The folder's entries, verified, sorted by name.
 * @param {import('./session.js').Session} session
 * @param {string | Entry | null} [folder] null: the root (a link's session: the linked folder)
 * @returns {Promise<Entry[]>}
 */
export async function openFolder(session, folder = null) {
  const id = folderIdOf(session, folder);
  const key = keyOf(session, id);
  const state = await loadFolder(session, id, key);
  // Opened a group at a time: WebCrypto works off the page's thread, so a group's entries
  // overlap, and a hostile listing still costs at most one group beyond its first bad entry.
  const entries = [];
  for (let at = 0; at < state.entries.length; at += OPEN_GROUP) {
    const group = state.entries.slice(at, at + OPEN_GROUP);
    entries.push(...(await Promise.all(group.map((entry) => openEntry(session, id, key, entry)))));
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The key of a live folder of the user's tree (or of a share opened in this session), found by
 * listing folders breadth first from the root and the shares when this session has not met it.
 * @param {import('./session.js').Session} session
 * @param {string} folderId
 */
export async function findFolderKey(session, folderId) {
  const known = session.keys.get(folderId);
  if (known) return known;
  const queue = [session.rootId, ...[...session.shares.values()].filter((s) => s.entry.kind === 'folder').map((s) => s.nodeId)];
  const seen = new Set();
  while (queue.length > 0) {
    const id = /** @type {string} */ (queue.shift());
    if (seen.has(id)) continue;
    seen.add(id);
    let entries;
    try {
      entries = await openFolder(session, id);
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.kind !== 'folder') continue;
      if (entry.nodeId === folderId) return entry.key;
      queue.push(entry.nodeId);
    }
  }
  return null;
}
