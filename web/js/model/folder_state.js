// A folder's verified entry set (docs/crypto.md 12.5, 12.6; the C++ sync/folder_listing): every
// page of the listing at one revision, the commitment rebuilt from the entries and compared
// with the folder's sealed record. The same state, changed, gives the FOLDER_UPDATE a request
// that changes the folder carries (docs/api.md, "Folder records").
import { base64urlDecode, base64urlEncode } from '../crypto/base64url.js';
import { constantTimeEqual } from '../crypto/bytes.js';
import { integrityError } from '../crypto/errors.js';
import { FolderCommitment } from '../crypto/folder_commitment.js';
import { openFolderRecord, sealFolderRecord } from '../crypto/folder_record.js';
import { sealEntryKey, tokenMac } from '../crypto/entry_seal.js';
import { encryptName, nameTag } from '../crypto/names.js';
import { ApiError } from '../api/api_error.js';
import { call } from './session.js';

const PAGE = 5000;
const ATTEMPTS = 3;

/**
 * The server's ENTRY.
 * @typedef {object} EntryJson
 * @property {string} parent_id
 * @property {string} name
 * @property {string} name_tag
 * @property {string} wrapped_key
 * @property {import('./node_record.js').NodeJson} node
 */

/**
 * @typedef {object} FolderState
 * @property {string} id
 * @property {Uint8Array} key
 * @property {number} revision
 * @property {FolderCommitment} commitment
 * @property {EntryJson[]} entries
 */

/**
 * @param {string} id
 * @param {string} what
 */
function tampered(id, what) {
  return integrityError(`folder ${id}: ${what}`);
}

/**
 * @param {import('./session.js').Session} session
 * @param {string} id
 * @returns {Promise<{ revision: number, record: string, entries: EntryJson[] } | null>} null when
 *   the folder changed between pages
 */
async function listPages(session, id) {
  /** @type {EntryJson[]} */
  const entries = [];
  /** @type {string | null} */
  let after = null;
  /** @type {number | null} */
  let revision = null;
  let record = '';
  do {
    const page = await call(session, 'GET', `/v1/nodes/${id}/entries`, { query: { after, limit: PAGE } });
    if (revision !== null && page.folder.revision !== revision) return null;
    revision = page.folder.revision;
    record = page.folder.record;
    entries.push(...page.entries);
    after = page.next;
  } while (after);
  return { revision: /** @type {number} */ (revision), record, entries };
}

/**
 * The folder's entries, checked against its sealed record: an entry added, dropped, replaced
 * or re-keyed by the server, or an older revision than seen, is integrity.
 * @param {import('./session.js').Session} session
 * @param {string} id
 * @param {Uint8Array} key the folder's key
 * @returns {Promise<FolderState>}
 */
export async function loadFolder(session, id, key) {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const listed = await listPages(session, id);
    if (!listed) continue;
    const commitment = new FolderCommitment();
    for (const entry of listed.entries) {
      if (entry.parent_id !== id) throw tampered(id, 'an entry of another folder is listed');
      let listedBefore;
      try {
        const mac = tokenMac(base64urlDecode(entry.wrapped_key));
        listedBefore = commitment.find(entry.name_tag) !== null;
        commitment.set(entry.name_tag, mac);
      } catch (error) {
        throw tampered(id, `entry ${entry.name_tag}: ${error instanceof Error ? error.message : 'malformed'}`);
      }
      if (listedBefore) throw tampered(id, `the name tag ${entry.name_tag} is listed twice`);
    }
    let record;
    try {
      record = await openFolderRecord(key, id, base64urlDecode(listed.record));
    } catch (error) {
      throw tampered(id, `the folder record: ${error instanceof Error ? error.message : ''}`);
    }
    if (record.revision !== BigInt(listed.revision)) throw tampered(id, "the sealed revision differs from the server's");
    if (record.entryCount !== BigInt(commitment.size) || !constantTimeEqual(record.commitment, await commitment.digest())) {
      throw tampered(id, `the listing (${commitment.size} entries) does not match the sealed record of revision ${record.revision}: an entry was added, dropped or replaced`);
    }
    session.guard.folder(id, listed.revision);
    const state = { id, key, revision: listed.revision, commitment, entries: listed.entries };
    remember(session, state);
    return state;
  }
  throw new ApiError(503, 'unavailable', `folder ${id} kept changing while it was listed`);
}

/**
 * The next record of a folder whose commitment the caller changed: revision + 1.
 * @param {FolderState} folder
 */
export async function folderUpdate(folder) {
  const revision = folder.revision + 1;
  const record = await sealFolderRecord(folder.key, {
    nodeId: folder.id,
    revision: BigInt(revision),
    entryCount: BigInt(folder.commitment.size),
    commitment: await folder.commitment.digest(),
  });
  return { node_id: folder.id, base_revision: folder.revision, revision, record: base64urlEncode(record) };
}

/**
 * The first record of a new, empty folder (base 0, revision 1).
 * @param {string} id
 * @param {Uint8Array} key
 */
export function newFolderUpdate(id, key) {
  return folderUpdate({ id, key, revision: 0, commitment: new FolderCommitment(), entries: [] });
}

/**
 * A node placed in a folder under a name: the encrypted name, its tag and the sealed entry key.
 * @param {string} parentId
 * @param {Uint8Array} parentKey
 * @param {Uint8Array | string} name
 * @param {string} nodeId
 * @param {Uint8Array} nodeKey
 */
export async function sealEntry(parentId, parentKey, name, nodeId, nodeKey) {
  const tag = await nameTag(parentKey, name);
  const sealed = await sealEntryKey(parentKey, { parentId, nodeId, nameTag: tag }, nodeKey);
  return { parent_id: parentId, name: await encryptName(parentKey, name), name_tag: tag, wrapped_key: base64urlEncode(sealed), mac: tokenMac(sealed) };
}

/**
 * POST /v1/batch; the first failed op's error is thrown (one that failed on its own before
 * the 424s of the ops it took with it).
 * @param {import('./session.js').Session} session
 * @param {object[]} ops
 * @param {object[]} folders
 * @returns {Promise<any[]>} the bodies of the results
 */
export async function batch(session, ops, folders) {
  const answer = await call(session, 'POST', '/v1/batch', { json: { ops, folders } });
  /** @type {Array<{ status: number, body: any }>} */
  const results = answer.results;
  const failed = results.find((r) => r.status >= 300 && r.status !== 424) ?? results.find((r) => r.status >= 300);
  if (failed) {
    const body = failed.body ?? {};
    const { error, message, ...details } = body;
    throw new ApiError(failed.status, typeof error === 'string' ? error : 'http_error', typeof message === 'string' ? message : `an op was refused (${failed.status})`, details);
  }
  return results.map((r) => r.body);
}

/**
 * A copy whose commitment changes apart from the original's.
 * @param {FolderState} state
 * @returns {FolderState}
 */
function copyState(state) {
  const commitment = new FolderCommitment();
  commitment.buckets = state.commitment.buckets.map((bucket) => new Map(bucket));
  commitment.digests = [...state.commitment.digests];
  commitment.count = state.commitment.count;
  return { ...state, commitment };
}

/**
 * The session's cache of folder states (revision and commitment), so that a change to a folder
 * needs no listing of it when this session made or saw its last change; a stale one is a 409
 * (the server checks the revision), after which the folder is listed afresh.
 * @param {import('./session.js').Session} session
 */
function folderCache(session) {
  session.folderStates ??= new Map();
  return session.folderStates;
}

/**
 * @param {import('./session.js').Session} session
 * @param {FolderState} state
 */
function remember(session, state) {
  folderCache(session).set(state.id, copyState(state));
}

/**
 * @param {import('./session.js').Session} session
 * @param {Iterable<string>} ids
 */
export function forgetFolders(session, ids) {
  for (const id of ids) folderCache(session).delete(id);
}

/**
 * A folder's state to change: the cached one (a copy), or, when `fresh` or none is cached,
 * listed and verified.
 * @param {import('./session.js').Session} session
 * @param {string} id
 * @param {Uint8Array} key
 * @param {boolean} fresh
 */
export async function folderForChange(session, id, key, fresh) {
  const known = fresh ? undefined : folderCache(session).get(id);
  return known ? copyState(known) : loadFolder(session, id, key);
}

/**
 * Sends entry ops with the next record of each changed folder (`states`, their commitments
 * already changed) and any first records of new folders; on success the states are cached at
 * their new revisions, on failure forgotten.
 * @param {import('./session.js').Session} session
 * @param {object[]} ops
 * @param {FolderState[]} states
 * @param {object[]} [newFolders] FOLDER_UPDATEs of folders the ops create
 */
export async function sendChanges(session, ops, states, newFolders = []) {
  const updates = [];
  for (const state of states) updates.push(await folderUpdate(state));
  try {
    const results = await batch(session, ops, [...updates, ...newFolders]);
    for (const state of states) remember(session, { ...state, revision: state.revision + 1 });
    return results;
  } catch (error) {
    forgetFolders(session, states.map((state) => state.id));
    throw error;
  }
}

/**
 * Runs `attempt` again (up to three times) when a folder it changes changed on the server
 * meanwhile (409 conflict with folder_id): `fresh` is false on the first attempt (cached
 * folder states may serve) and true after, when the attempt lists its folders afresh.
 * @template T
 * @param {(fresh: boolean) => Promise<T>} attempt
 * @returns {Promise<T>}
 */
export async function withFolderRetry(attempt) {
  for (let i = 0; ; i++) {
    try {
      return await attempt(i > 0);
    } catch (error) {
      if (!(error instanceof ApiError) || error.code !== 'conflict' || !('folder_id' in error.details) || i >= ATTEMPTS - 1) throw error;
    }
  }
}
