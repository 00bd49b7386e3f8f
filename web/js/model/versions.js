// A file's versions (docs/api.md, GET /v1/nodes/{id}/versions): listed with the plaintext size
// each sealed manifest names, and restored as the C++ client restores (fs-daemon/history/
// file_versions, vfs restore_content): the old version's chunks committed as a new version of
// the same file, with its attribute record, in one batch. Nothing is uploaded again.
import { ApiError } from '../api/api_error.js';
import { batch } from './folder_state.js';
import { entryOfNode } from './listing.js';
import { STORED_KEY, nowTimestamp, openNodeRecord, withMeta, withoutMeta } from './node_record.js';
import { openVersion } from './read_file.js';
import { attributesOp, commitOp } from './upload_file.js';
import { call } from './session.js';

/**
 * @typedef {object} VersionInfo
 * @property {number} version
 * @property {Date} createdAt
 * @property {bigint | null} size plaintext bytes; null when the manifest does not open
 * @property {string | null} device the session's device that committed it
 * @property {boolean} current
 * @property {string | null} error why its manifest does not open
 */

/**
 * @param {import('./session.js').Session} session
 * @param {import('./listing.js').Entry} file
 * @returns {Promise<VersionInfo[]>} oldest first
 */
export async function listVersions(session, file) {
  const listed = (await call(session, 'GET', `/v1/nodes/${file.nodeId}/versions`)).versions;
  const newest = listed.reduce((/** @type {number} */ top, /** @type {any} */ v) => Math.max(top, v.version), 0);
  const versions = [];
  for (const summary of listed) {
    /** @type {VersionInfo} */
    const info = { version: summary.version, createdAt: new Date(summary.created_at * 1000), size: null, device: summary.device ?? null, current: summary.version === newest, error: null };
    try {
      info.size = (await openVersion(session, file, summary.version)).size;
    } catch (error) {
      if (error instanceof ApiError && error.code !== 'not_found') throw error;
      info.error = error instanceof Error ? error.message : 'does not open';
    }
    versions.push(info);
  }
  return versions;
}

/**
 * Makes `version`'s content the file's new current version.
 * @param {import('./session.js').Session} session
 * @param {import('./listing.js').Entry} file
 * @param {number} version
 * @returns {Promise<import('./listing.js').Entry>} the file with its new version
 */
export async function restoreVersion(session, file, version) {
  const old = await openVersion(session, file, version);
  const node = await call(session, 'GET', `/v1/nodes/${file.nodeId}`);
  const record = await openNodeRecord(session, file.key, node);
  const now = nowTimestamp();
  const stored = old.chunks.reduce((sum, c) => sum + (c ? BigInt(c.dataBlocks) * 4096n : 0n), 0n);
  const attributes = withMeta({ ...withoutMeta(record.attributes), mtime: now, ctime: now }, { [STORED_KEY]: stored });
  const content = { size: old.size, chunkSize: old.chunkSize, chunks: old.chunks, attributes };
  await batch(session, [
    await commitOp(file.nodeId, file.key, node.version, content),
    await attributesOp(file.nodeId, file.key, node.attributes_revision, attributes, { size: old.size, version: node.version + 1 }),
  ], []);
  const updated = await call(session, 'GET', `/v1/nodes/${file.nodeId}`);
  return entryOfNode(session, updated, file.key, { nameBytes: file.nameBytes, parentId: file.parentId, nameTag: file.nameTag });
}
