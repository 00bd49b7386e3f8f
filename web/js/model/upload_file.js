// uploadFile: a File or Blob into a folder, as the C++ client writes a file (docs/crypto.md
// 11, 12.2; fs-daemon/sync/op_sender): 1 MiB pieces, each a raw Fernet token under a fresh
// file key (a piece of zeros is a hole: nothing stored), PUT by its SHA-256; then one batch
// creates the node with its attribute record (size and version in the reserved xattrs) and
// commits version 1 with the sealed manifest. A name that holds a file gets a new version of
// that file instead (commit and attribute record in one batch). Pieces are read from the Blob's
// stream, a few in flight, so a file of any size never sits in memory; the page's thread
// or a few workers encrypt and store them (store_piece.js, piece_workers.js).
import { base64urlDecode, base64urlEncode } from '../crypto/base64url.js';
import { constantTimeEqual } from '../crypto/bytes.js';
import { tokenMac } from '../crypto/entry_seal.js';
import { integrityError, invalidArgument } from '../crypto/errors.js';
import { importFernetKey } from '../crypto/fernet.js';
import { hexEncode } from '../crypto/hex.js';
import { sealManifest } from '../crypto/manifest.js';
import { sealAttributeRecord } from '../crypto/attribute_record.js';
import { isValidName, nameTag } from '../crypto/names.js';
import { randomBytes } from '../crypto/random.js';
import { ApiError } from '../api/api_error.js';
import { batch, folderForChange, sealEntry, sendChanges, withFolderRetry } from './folder_state.js';
import { entryOfNode, folderIdOf, keyOf, openEntry } from './listing.js';
import { S_IFREG, SIZE_KEY, STORED_KEY, VERSION_KEY, nowTimestamp, openNodeRecord, withMeta, withoutMeta } from './node_record.js';
import { call } from './session.js';
import { blobPieces } from './blob_pieces.js';
import { inPagePieces } from './store_piece.js';

export const CHUNK_SIZE = 1024 * 1024;

/**
 * @typedef {object} UploadOptions
 * @property {(done: number, total: number) => void} [onProgress] plaintext bytes stored so far
 * @property {AbortSignal} [signal]
 * @property {import('./store_piece.js').PieceStore} [pieces] where pieces are encrypted and
 *   stored: the page's own thread (the default), or workers (piece_workers.js)
 * @property {number} [concurrency] pieces in flight (the piece store's own number)
 */

/**
 * Encrypts and stores every piece; the manifest's chunk list (null: a hole).
 * @param {import('./session.js').Session} session
 * @param {Uint8Array} key the file key
 * @param {Blob} blob
 * @param {UploadOptions} options
 */
async function storeChunks(session, key, blob, options) {
  const fileKey = await importFernetKey(key);
  const pieces = options.pieces ?? inPagePieces;
  /** @type {Array<import('../crypto/manifest.js').ChunkRef | null>} */
  const chunks = new Array(Math.ceil(blob.size / CHUNK_SIZE)).fill(null);
  const source = blobPieces(blob, CHUNK_SIZE);
  let done = 0;
  let failed = false;
  const lane = async () => {
    while (!failed) {
      options.signal?.throwIfAborted();
      const next = await source.next(); // calls queue: each piece goes to one lane
      if (next.done) return;
      const { index, piece } = next.value;
      const length = piece.length; // the piece's buffer may be moved to a worker
      chunks[index] = await pieces.store(session.api, { piece, fileKey, token: session.token }, options.signal);
      done += length;
      options.onProgress?.(done, blob.size);
    }
  };
  const guarded = () => lane().catch((error) => {
    failed = true; // the other lanes stop after the piece they hold
    throw error;
  });
  const lanes = [];
  for (let i = 0; i < Math.max(1, options.concurrency ?? pieces.concurrency); i++) lanes.push(guarded());
  const results = await Promise.allSettled(lanes);
  await source.return(undefined); // a failure stops reading the file
  const rejected = results.find((r) => r.status === 'rejected');
  if (rejected) throw /** @type {PromiseRejectedResult} */ (rejected).reason;
  return chunks;
}

/**
 * @param {Array<import('../crypto/manifest.js').ChunkRef | null>} chunks
 */
function storedBytes(chunks) {
  return chunks.reduce((sum, c) => sum + (c ? BigInt(c.dataBlocks) * 4096n : 0n), 0n);
}

/**
 * The commit op of a new version.
 * @param {string} nodeId
 * @param {Uint8Array} key
 * @param {number} base
 * @param {{ size: bigint, chunkSize: number, chunks: Array<import('../crypto/manifest.js').ChunkRef | null>,
 *           attributes: import('../crypto/attributes_codec.js').Attributes }} content
 */
export async function commitOp(nodeId, key, base, content) {
  const manifest = await sealManifest(key, { nodeId, version: BigInt(base + 1), ...content });
  const chunks = content.chunks.filter((c) => c !== null).map((c) => hexEncode(/** @type {Uint8Array} */ (c?.id)));
  return { op: 'commit', node_id: nodeId, base_version: base, version: base + 1, manifest: base64urlEncode(manifest), chunks, blobs: [] };
}

/**
 * The attribute record op that follows a commit: size and version of the new content.
 * @param {string} nodeId
 * @param {Uint8Array} key
 * @param {number} baseRevision
 * @param {import('../crypto/attributes_codec.js').Attributes} attributes
 * @param {{ size: bigint, version: number }} content
 */
export async function attributesOp(nodeId, key, baseRevision, attributes, content) {
  const record = await sealAttributeRecord(key, {
    nodeId,
    revision: BigInt(baseRevision + 1),
    attributes: withMeta(attributes, { [SIZE_KEY]: content.size, [VERSION_KEY]: BigInt(content.version) }),
  });
  return { op: 'set_attributes', node_id: nodeId, attributes: base64urlEncode(record), revision: baseRevision + 1, base_revision: baseRevision };
}

/**
 * A new file's attributes: a regular file, rw-r--r--, owned as its folder is (a browser has no
 * uid), times now.
 * @param {import('./session.js').Session} session
 * @param {string} folderId
 * @param {Uint8Array} folderKey
 */
export async function newNodeAttributes(session, folderId, folderKey, mode = S_IFREG | 0o644) {
  const folder = await call(session, 'GET', `/v1/nodes/${folderId}`);
  const owner = (await openNodeRecord(session, folderKey, folder)).attributes;
  const now = nowTimestamp();
  return { mode, uid: owner.uid, gid: owner.gid, rdev: 0n, atime: now, mtime: now, ctime: now, xattrs: [], symlinkTarget: new Uint8Array(0) };
}

/**
 * @param {import('./session.js').Session} session
 * @param {string | import('./listing.js').Entry | null} folder null: the root
 * @param {string} name
 * @param {Blob} blob
 * @param {UploadOptions} [options]
 * @returns {Promise<import('./listing.js').Entry>} the file's entry
 */
export async function uploadFile(session, folder, name, blob, options = {}) {
  if (!isValidName(name)) throw invalidArgument('a name is 1 to 255 bytes, not . or .., without / or NUL');
  const folderId = folderIdOf(session, folder);
  const folderKey = keyOf(session, folderId);
  const tag = await nameTag(folderKey, name);
  const existing = await existingEntry(session, folderId, folderKey, tag);
  if (existing) {
    if (existing.node.type !== 'file') throw new ApiError(409, 'already_exists', `${name} exists and is not a file`);
    return replaceContent(session, await openEntry(session, folderId, folderKey, existing), blob, options);
  }
  const nodeId = hexEncode(randomBytes(16));
  const key = randomBytes(32);
  const chunks = await storeChunks(session, key, blob, options);
  const size = BigInt(blob.size);
  const base = await newNodeAttributes(session, folderId, folderKey);
  const attributes = withMeta(base, { [STORED_KEY]: storedBytes(chunks) });
  const record = await sealAttributeRecord(key, { nodeId, revision: 1n, attributes: withMeta(attributes, { [SIZE_KEY]: size, [VERSION_KEY]: 1n }) });
  const commit = await commitOp(nodeId, key, 0, { size, chunkSize: CHUNK_SIZE, chunks, attributes });
  const results = await withFolderRetry(async (fresh) => {
    const state = await folderForChange(session, folderId, folderKey, fresh);
    const { mac, ...placed } = await sealEntry(folderId, folderKey, name, nodeId, key);
    state.commitment.set(placed.name_tag, mac);
    const create = { op: 'create', node_id: nodeId, type: 'file', ...placed, attributes: base64urlEncode(record), attributes_revision: 1 };
    return sendChanges(session, [create, commit], [state]);
  });
  const node = await call(session, 'GET', `/v1/nodes/${nodeId}`);
  return entryOfNode(session, node, key, { nameBytes: new TextEncoder().encode(name), parentId: folderId, nameTag: results[0].name_tag });
}

/**
 * The entry a folder holds under `tag`, or null. The folder's state (cached, or listed when the
 * cache does not know the name but the server answers a lookup of it) names the entry's sealed
 * key: the entry used must carry it.
 * @param {import('./session.js').Session} session
 * @param {string} folderId
 * @param {Uint8Array} folderKey
 * @param {string} tag
 * @returns {Promise<import('./folder_state.js').EntryJson | null>}
 */
async function existingEntry(session, folderId, folderKey, tag) {
  let state = await folderForChange(session, folderId, folderKey, false);
  const lookup = () => call(session, 'GET', `/v1/nodes/${folderId}/entries/${tag}`).catch((error) => {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  });
  if (!state.commitment.find(tag)) {
    if (!(await lookup())) return null;
    state = await folderForChange(session, folderId, folderKey, true); // the cache is behind the server
  }
  const mac = state.commitment.find(tag);
  if (!mac) return null;
  const listed = state.entries.find((e) => e.name_tag === tag);
  const entry = listed && constantTimeEqual(tokenMac(base64urlDecode(listed.wrapped_key)), mac) ? listed : await lookup();
  if (entry && !constantTimeEqual(tokenMac(base64urlDecode(entry.wrapped_key)), mac)) {
    throw integrityError(`folder ${folderId}: the entry ${tag} is not the one its sealed record names`);
  }
  return entry;
}

/**
 * New content for an existing file: a new version and its attribute record.
 * @param {import('./session.js').Session} session
 * @param {import('./listing.js').Entry} file
 * @param {Blob} blob
 * @param {UploadOptions} [options]
 */
export async function replaceContent(session, file, blob, options = {}) {
  const chunks = await storeChunks(session, file.key, blob, options);
  const size = BigInt(blob.size);
  const now = nowTimestamp();
  const attributes = withMeta({ ...withoutMeta(file.record.attributes), mtime: now, ctime: now }, { [STORED_KEY]: storedBytes(chunks) });
  const node = await call(session, 'GET', `/v1/nodes/${file.nodeId}`);
  await openNodeRecord(session, file.key, node);
  const ops = [
    await commitOp(file.nodeId, file.key, node.version, { size, chunkSize: CHUNK_SIZE, chunks, attributes }),
    await attributesOp(file.nodeId, file.key, node.attributes_revision, attributes, { size, version: node.version + 1 }),
  ];
  await batch(session, ops, []);
  const updated = await call(session, 'GET', `/v1/nodes/${file.nodeId}`);
  return entryOfNode(session, updated, file.key, { nameBytes: file.nameBytes, parentId: file.parentId, nameTag: file.nameTag });
}
