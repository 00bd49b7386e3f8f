// The trash (docs/api.md, "Trash"): items named with the key of the folder that last held
// them (a live folder found in the tree, or a folder in the trash, recursively), and restored
// as the C++ client restores (fs-daemon/history/trash_restore): the item linked back under its
// old entry when its name is free there, else sealed anew as "NAME (restored)"; a folder's
// trashed children after it, in the same batch, with every changed folder's record.
import { base64urlDecode } from '../crypto/base64url.js';
import { integrityError } from '../crypto/errors.js';
import { tokenMac } from '../crypto/entry_seal.js';
import { FolderCommitment } from '../crypto/folder_commitment.js';
import { ApiError } from '../api/api_error.js';
import { batch, folderUpdate, forgetFolders, loadFolder, sealEntry, withFolderRetry } from './folder_state.js';
import { findFolderKey, folderIdOf, keyOf, openEntry, openFolder } from './listing.js';
import { call } from './session.js';
import { sharedWithMe } from './shares.js';

const PAGE = 1000;
const OPS_PER_BATCH = 4000;

/**
 * @typedef {object} TrashItem
 * @property {string} nodeId
 * @property {'file' | 'folder' | 'symlink' | 'special'} kind
 * @property {Date} trashedAt
 * @property {string} parentId the folder that last held it
 * @property {boolean} parentInTrash
 * @property {string} owner
 * @property {import('./listing.js').Entry | null} entry the opened entry (name, key, size), null when it does not open
 * @property {string | null} error why it does not open
 * @property {any} raw the server's TRASH_ITEM
 */

/**
 * @param {import('./session.js').Session} session
 * @returns {Promise<any[]>}
 */
async function allItems(session) {
  const items = [];
  /** @type {string | null} */
  let after = null;
  do {
    const page = await call(session, 'GET', '/v1/trash', { query: { after, limit: PAGE } });
    items.push(...page.items);
    after = page.next;
  } while (after);
  return items;
}

/**
 * Everything in the trash the caller may read, newest first, each opened where it can be.
 * @param {import('./session.js').Session} session
 * @returns {Promise<TrashItem[]>}
 */
export async function listTrash(session) {
  const raw = await allItems(session);
  // Items of owners who shared with this user open under the keys of those shares.
  if (session.shares.size === 0 && session.identity && raw.some((item) => item.owner !== session.user)) await sharedWithMe(session);
  const byId = new Map(raw.map((item) => [item.node.node_id, item]));
  /** @type {Map<string, TrashItem>} */
  const opened = new Map();
  /** @type {Set<string>} */
  const visiting = new Set();

  /** @param {any} item @returns {Promise<TrashItem>} */
  const open = async (item) => {
    const id = item.node.node_id;
    const done = opened.get(id);
    if (done) return done;
    /** @type {TrashItem} */
    const result = {
      nodeId: id, kind: item.node.type, trashedAt: new Date(item.trashed_at * 1000), parentId: item.parent_id,
      parentInTrash: item.parent_in_trash, owner: item.owner, entry: null, error: null, raw: item,
    };
    try {
      if (visiting.has(id)) throw integrityError("its folders form a loop in the server's answer");
      visiting.add(id);
      let folderKey = null;
      const parentItem = byId.get(item.parent_id);
      if (parentItem) folderKey = (await open(parentItem)).entry?.key ?? null;
      else folderKey = await findFolderKey(session, item.parent_id);
      if (!folderKey) throw new ApiError(404, 'not_found', 'its folder was purged or cannot be found');
      result.entry = await openEntry(session, item.parent_id, folderKey, {
        parent_id: item.parent_id, name: item.name, name_tag: item.name_tag, wrapped_key: item.wrapped_key, node: item.node,
      });
    } catch (error) {
      result.error = error instanceof Error ? error.message : 'does not open';
    }
    opened.set(id, result);
    return result;
  };

  const items = [];
  for (const item of raw) items.push(await open(item));
  return items.sort((a, b) => b.trashedAt.getTime() - a.trashedAt.getTime());
}

/** @param {string} name @param {string} suffix as the C++ sync::with_suffix: before the extension */
function withSuffix(name, suffix) {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? name + suffix : name.slice(0, dot) + suffix + name.slice(dot);
}

/** @param {string} name @param {(candidate: string) => boolean} taken */
function freeRestoredName(name, taken) {
  let candidate = name;
  for (let attempt = 1; taken(candidate); attempt++) candidate = withSuffix(name, attempt <= 1 ? ' (restored)' : ` (restored ${attempt})`);
  return candidate;
}

/**
 * The entry of a trashed node as `name` in `folderId`: the old one when nothing changed.
 * @param {TrashItem} item
 * @param {string} folderId
 * @param {Uint8Array} folderKey
 * @param {string} name
 */
async function entryFor(item, folderId, folderKey, name) {
  const entry = /** @type {import('./listing.js').Entry} */ (item.entry);
  if (item.parentId === folderId && entry.name === name) {
    return { parent_id: folderId, name: item.raw.name, name_tag: item.raw.name_tag, wrapped_key: item.raw.wrapped_key, mac: tokenMac(base64urlDecode(item.raw.wrapped_key)) };
  }
  return sealEntry(folderId, folderKey, name, item.nodeId, entry.key);
}

/** @typedef {{ parent_id: string, name: string, name_tag: string, wrapped_key: string, mac: Uint8Array }} SealedPlace */
/** @typedef {{ nodeId: string, entry: SealedPlace }} Link */
/** @typedef {Map<string, import('./folder_state.js').FolderState>} Folders */

/**
 * Adds the links of every trashed descendant of a folder item, folder by folder (a trashed
 * folder was empty when trashed, so its trashed entries are what goes back into it); the most
 * recently trashed keeps a name several had.
 * @param {Link[]} links
 * @param {Folders} folders
 * @param {TrashItem} top
 * @param {TrashItem[]} items
 */
async function addDescendants(links, folders, top, items) {
  const pending = top.kind === 'folder' ? [top] : [];
  while (pending.length > 0) {
    const parent = /** @type {TrashItem} */ (pending.shift());
    const parentKey = /** @type {import('./listing.js').Entry} */ (parent.entry).key;
    folders.set(parent.nodeId, { id: parent.nodeId, key: parentKey, revision: parent.raw.node.folder_revision, commitment: new FolderCommitment(), entries: [] });
    const children = items.filter((c) => c.parentId === parent.nodeId && c.entry).sort((a, b) => b.trashedAt.getTime() - a.trashedAt.getTime());
    const used = new Set();
    for (const child of children) {
      const childName = freeRestoredName(child.entry?.name ?? '', (c) => used.has(c));
      used.add(childName);
      links.push({ nodeId: child.nodeId, entry: await entryFor(child, parent.nodeId, parentKey, childName) });
      if (child.kind === 'folder') pending.push(child);
    }
  }
}

/**
 * Sends the links in order, a batch at a time, each with the next record of every folder it
 * changes.
 * @param {import('./session.js').Session} session
 * @param {Link[]} links
 * @param {Folders} folders
 */
async function sendLinks(session, links, folders) {
  try {
    await sendBatches(session, links, folders);
  } finally {
    forgetFolders(session, folders.keys()); // their cached states are behind now
  }
}

/**
 * @param {import('./session.js').Session} session
 * @param {Link[]} links
 * @param {Folders} folders
 */
async function sendBatches(session, links, folders) {
  for (let start = 0; start < links.length; start += OPS_PER_BATCH) {
    const touched = new Set();
    const ops = links.slice(start, start + OPS_PER_BATCH).map(({ nodeId, entry }) => {
      const { mac, ...sealed } = entry;
      /** @type {import('./folder_state.js').FolderState} */ (folders.get(sealed.parent_id)).commitment.set(sealed.name_tag, mac);
      touched.add(sealed.parent_id);
      return { op: 'link', node_id: nodeId, ...sealed };
    });
    const updates = [];
    for (const id of touched) {
      const folder = /** @type {import('./folder_state.js').FolderState} */ (folders.get(id));
      updates.push(await folderUpdate(folder));
      folder.revision++;
    }
    await batch(session, ops, updates);
  }
}

/**
 * Restores a trash item (and, for a folder, everything trashed in it) into the folder it was in,
 * or into `options.to`. Returns the name it was given there.
 * @param {import('./session.js').Session} session
 * @param {TrashItem} item from listTrash
 * @param {{ to?: string | import('./listing.js').Entry | null, items?: TrashItem[] }} [options] `items`: the
 *   listTrash answer the item came from (listed again when absent), for a folder's children
 */
export async function restoreFromTrash(session, item, options = {}) {
  const entry = item.entry;
  if (!entry) throw integrityError(`the trash item ${item.nodeId} does not open: ${item.error}`);
  if (options.to === undefined && item.parentInTrash) {
    throw new ApiError(404, 'not_found', `${entry.name}: its folder is in the trash too; restore that folder, or give a target`);
  }
  const folderId = options.to === undefined ? item.parentId : folderIdOf(session, options.to);
  const folderKey = session.keys.get(folderId) ?? (await findFolderKey(session, folderId)) ?? keyOf(session, folderId);
  const items = options.items ?? (await listTrash(session));
  return withFolderRetry(async () => {
    const names = new Set((await openFolder(session, folderId)).map((e) => e.name));
    const name = freeRestoredName(entry.name, (c) => names.has(c));
    /** @type {Folders} */
    const folders = new Map([[folderId, await loadFolder(session, folderId, folderKey)]]);
    /** @type {Link[]} */
    const links = [{ nodeId: item.nodeId, entry: await entryFor(item, folderId, folderKey, name) }];
    await addDescendants(links, folders, item, items);
    await sendLinks(session, links, folders);
    return name;
  });
}

/**
 * Purges one of the caller's own trash items for good.
 * @param {import('./session.js').Session} session
 * @param {TrashItem | string} item
 */
export async function purgeFromTrash(session, item) {
  await call(session, 'DELETE', `/v1/trash/${typeof item === 'string' ? item : item.nodeId}`);
}

