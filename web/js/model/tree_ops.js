// Changes to the tree: a new folder, rename, move, remove (to the trash). Each lists the
// folders it changes (verified), seals the entry it makes under the new place, and sends the
// folders' next records with the request (docs/api.md, "Folder records"); a folder changed on
// the server meanwhile (409 with folder_id) is listed again and the request sealed again.
import { base64urlEncode } from '../crypto/base64url.js';
import { invalidArgument } from '../crypto/errors.js';
import { hexEncode } from '../crypto/hex.js';
import { sealAttributeRecord } from '../crypto/attribute_record.js';
import { isValidName, nameTag } from '../crypto/names.js';
import { randomBytes } from '../crypto/random.js';
import { ApiError } from '../api/api_error.js';
import { folderForChange, newFolderUpdate, sealEntry, sendChanges, withFolderRetry } from './folder_state.js';
import { entryOfNode, folderIdOf, keyOf } from './listing.js';
import { S_IFDIR, SIZE_KEY, VERSION_KEY, withMeta } from './node_record.js';
import { newNodeAttributes } from './upload_file.js';
import { call } from './session.js';

/** @param {string} name */
function checkName(name) {
  if (!isValidName(name)) throw invalidArgument('a name is 1 to 255 bytes, not . or .., without / or NUL');
}

/** @param {import('./listing.js').Entry} entry */
function placed(entry) {
  if (!entry.parentId || !entry.nameTag) throw invalidArgument(`${entry.name}: not an entry of a folder (a share or a link is not moved here)`);
  return { parentId: entry.parentId, nameTag: entry.nameTag };
}

/**
 * Whether the cached state of the entry's folder holds its tag (else it is listed afresh: the
 * entry came from a listing newer than the cache).
 * @param {import('./session.js').Session} session
 * @param {{ parentId: string, nameTag: string }} place
 * @param {Uint8Array} key
 */
async function holds(session, place, key) {
  return (await folderForChange(session, place.parentId, key, false)).commitment.find(place.nameTag) !== null;
}

/**
 * @param {import('./session.js').Session} session
 * @param {string | import('./listing.js').Entry | null} folder null: the root
 * @param {string} name
 * @returns {Promise<import('./listing.js').Entry>}
 */
export async function makeFolder(session, folder, name) {
  checkName(name);
  const parentId = folderIdOf(session, folder);
  const parentKey = keyOf(session, parentId);
  const nodeId = hexEncode(randomBytes(16));
  const key = randomBytes(32);
  const attributes = withMeta(await newNodeAttributes(session, parentId, parentKey, S_IFDIR | 0o755), { [SIZE_KEY]: 0n, [VERSION_KEY]: 0n });
  const record = base64urlEncode(await sealAttributeRecord(key, { nodeId, revision: 1n, attributes }));
  await withFolderRetry(async (fresh) => {
    const state = await folderForChange(session, parentId, parentKey, fresh);
    const { mac, ...entry } = await sealEntry(parentId, parentKey, name, nodeId, key);
    state.commitment.set(entry.name_tag, mac);
    const create = { op: 'create', node_id: nodeId, type: 'folder', ...entry, attributes: record, attributes_revision: 1 };
    return sendChanges(session, [create], [state], [await newFolderUpdate(nodeId, key)]);
  });
  const node = await call(session, 'GET', `/v1/nodes/${nodeId}`);
  return entryOfNode(session, node, key, { nameBytes: new TextEncoder().encode(name), parentId, nameTag: await nameTag(parentKey, name) });
}

/**
 * Moves `entry` to `folder` under `name` (noreplace: a taken name is 409 already_exists).
 * @param {import('./session.js').Session} session
 * @param {import('./listing.js').Entry} entry
 * @param {string | import('./listing.js').Entry | null} folder null: the root
 * @param {string} [name] the entry's own name when absent
 * @returns {Promise<import('./listing.js').Entry>} the entry at its new place
 */
export async function move(session, entry, folder, name = entry.name) {
  checkName(name);
  const from = placed(entry);
  const toId = folderIdOf(session, folder);
  const toKey = keyOf(session, toId);
  const fromKey = keyOf(session, from.parentId);
  const moved = await withFolderRetry(async (fresh) => {
    const source = await folderForChange(session, from.parentId, fromKey, fresh || !(await holds(session, from, fromKey)));
    const target = toId === from.parentId ? source : await folderForChange(session, toId, toKey, fresh);
    const { mac, ...sealed } = await sealEntry(toId, toKey, name, entry.nodeId, entry.key);
    if (!source.commitment.find(from.nameTag)) throw new ApiError(404, 'not_found', `${entry.name} is not in its folder any more`);
    source.commitment.erase(from.nameTag);
    target.commitment.set(sealed.name_tag, mac);
    const states = target === source ? [source] : [source, target];
    const op = {
      op: 'move', from_parent_id: from.parentId, from_name_tag: from.nameTag, new_parent_id: toId,
      name: sealed.name, name_tag: sealed.name_tag, wrapped_key: sealed.wrapped_key, mode: 'noreplace',
    };
    return (await sendChanges(session, [op], states))[0];
  });
  return entryOfNode(session, moved.node, entry.key, { nameBytes: new TextEncoder().encode(name), parentId: toId, nameTag: moved.name_tag });
}

/**
 * @param {import('./session.js').Session} session
 * @param {import('./listing.js').Entry} entry
 * @param {string} name
 */
export function rename(session, entry, name) {
  return move(session, entry, placed(entry).parentId, name);
}

/**
 * Removes the entry: its node goes to the trash (a folder must be empty: 409 not_empty).
 * @param {import('./session.js').Session} session
 * @param {import('./listing.js').Entry} entry
 */
export async function remove(session, entry) {
  const from = placed(entry);
  const key = keyOf(session, from.parentId);
  await withFolderRetry(async (fresh) => {
    const state = await folderForChange(session, from.parentId, key, fresh || !(await holds(session, from, key)));
    if (!state.commitment.find(from.nameTag)) throw new ApiError(404, 'not_found', `${entry.name} is not in its folder any more`);
    state.commitment.erase(from.nameTag);
    const op = { op: 'remove', parent_id: from.parentId, name_tag: from.nameTag, ...(entry.kind === 'file' ? { expected_version: entry.version } : {}) };
    return sendChanges(session, [op], [state]);
  });
}
