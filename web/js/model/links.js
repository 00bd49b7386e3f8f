// Share links (docs/api.md "Links", docs/crypto.md "Links"): the owner seals the node key under
// a key only the URL's fragment (and the password, if any) gives, and the server keeps the
// sealed key; anyone with the URL opens it into a read-only session that openFolder and
// readFile accept. The fragment never reaches the server.
import { base64urlDecode, base64urlEncode } from '../crypto/base64url.js';
import { wipe } from '../crypto/bytes.js';
import { invalidArgument } from '../crypto/errors.js';
import { kdfParamsFromJson } from '../crypto/kdf.js';
import {
  linkIkm, linkKdfParamsFromJson, linkSealKey, linkUrl, newLinkId, newLinkPasswordSalt, newLinkSecret, openLinkKey,
  openLinkLabel, parseLinkUrl, sealLinkKey, sealLinkLabel,
} from '../crypto/link_seal.js';
import { entryOfNode } from './listing.js';
import { call } from './session.js';
import { VersionGuard } from './version_guard.js';

/**
 * @typedef {object} LinkOptions
 * @property {Date | number | null} [expiresAt] a Date or Unix seconds; null: never
 * @property {number | null} [maxDownloads] opens allowed; null: any number
 * @property {string | null} [password] asked for as well as the URL
 * @property {string} [label] the label shown in the creator's list of links, e.g. the path
 *   (default: the entry's name); sealed under the master key
 * @property {string} [path] the same as label
 * @property {string} [baseUrl] the URL's start (default: the API client's, else the page's origin)
 */

/** @param {Date | number | null | undefined} value */
function unixOf(value) {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? Math.floor(value.getTime() / 1000) : Math.floor(value);
}

/** @param {import('./session.js').Session} session */
function baseOf(session) {
  if (session.api.baseUrl) return session.api.baseUrl;
  return globalThis.location ? globalThis.location.origin : '';
}

/**
 * Makes a share link to a file or a folder (not the root); returns its URL, the only place its
 * secret exists.
 * @param {import('./session.js').Session} session
 * @param {import('./listing.js').Entry} entry
 * @param {LinkOptions} [options]
 * @returns {Promise<{ url: string, linkId: string }>}
 */
export async function createLink(session, entry, options = {}) {
  if (!session.masterKey || session.readOnly) throw invalidArgument('a link session cannot make links');
  if (entry.kind !== 'file' && entry.kind !== 'folder') throw invalidArgument('only files and folders have links');
  if (entry.nodeId === session.rootId) throw invalidArgument('the root folder has no link: link a folder in it');
  const linkId = newLinkId();
  const secret = newLinkSecret();
  /** @type {{ salt: string, kdf: object } | null} */
  let password = null;
  /** @type {import('../crypto/kdf.js').KdfParams | null} */
  let params = null;
  if (options.password) {
    const account = await call(session, 'GET', '/v1/auth/params', { query: { user: session.user } });
    const salt = newLinkPasswordSalt();
    const kdf = { ...account.kdf, salt: base64urlEncode(salt) };
    params = kdfParamsFromJson(kdf);
    password = { salt: base64urlEncode(salt), kdf };
  }
  const ikm = await linkIkm(secret, options.password ?? null, params);
  try {
    const sealKey = await linkSealKey(ikm, linkId);
    const sealed = await sealLinkKey(sealKey, { kind: entry.kind, nodeId: entry.nodeId, key: entry.key });
    const label = await sealLinkLabel(session.masterKey, options.label ?? options.path ?? entry.name);
    await call(session, 'POST', '/v1/links', {
      json: {
        link_id: base64urlEncode(linkId), node_id: entry.nodeId, kind: entry.kind, sealed_key: base64urlEncode(sealed),
        password, label: base64urlEncode(label), expires_at: unixOf(options.expiresAt), max_downloads: options.maxDownloads ?? null,
      },
    });
    return { url: linkUrl(options.baseUrl ?? baseOf(session), linkId, secret), linkId: base64urlEncode(linkId) };
  } finally {
    wipe(ikm, secret);
  }
}

/**
 * The caller's links, each label opened (null with `labelError` when it does not open).
 * @param {import('./session.js').Session} session
 */
export async function listLinks(session) {
  if (!session.masterKey) throw invalidArgument('a link session has no links');
  const masterKey = session.masterKey;
  const links = (await call(session, 'GET', '/v1/links')).links;
  return Promise.all(links.map(async (/** @type {any} */ link) => {
    let label = null;
    let labelError = null;
    try {
      label = await openLinkLabel(masterKey, base64urlDecode(link.label));
    } catch (error) {
      labelError = error instanceof Error ? error.message : 'does not open';
    }
    return {
      linkId: link.link_id, nodeId: link.node_id, kind: link.kind, label, labelError,
      createdAt: new Date(link.created_at * 1000), expiresAt: link.expires_at === null ? null : new Date(link.expires_at * 1000),
      maxDownloads: link.max_downloads, downloads: link.downloads, password: link.password,
    };
  }));
}

/**
 * @param {import('./session.js').Session} session
 * @param {string | { linkId: string }} link the id, or a link of listLinks
 */
export async function revokeLink(session, link) {
  await call(session, 'DELETE', `/v1/links/${typeof link === 'string' ? link : link.linkId}`);
}

/**
 * What the link page shows before opening (no download is counted): kind, whether a password
 * is needed, expiry and downloads, the owner's name.
 * @param {import('../api/client.js').ApiClient} api
 * @param {string} linkId
 */
export function linkInfo(api, linkId) {
  return api.request('GET', `/v1/links/${linkId}`);
}

/**
 * Asks the server to open a link: counts one download and answers the sealed node key and a
 * read token (12 h at most). A page keeps the answer for another password attempt, so that a
 * typo does not spend a download.
 * @param {import('../api/client.js').ApiClient} api
 * @param {string} linkId
 * @returns {Promise<any>}
 */
export function startLinkOpening(api, linkId) {
  return api.request('POST', `/v1/links/${linkId}/open`);
}

/**
 * Opens a link (counting one download, unless `opening` is a startLinkOpening answer already
 * had) into a read-only session whose root is the linked node:
 * `openFolder(session)` lists a folder link, `readFile(session, session.entry)` reads a file
 * link. A wrong URL or password is integrity. The link carries no name (docs/crypto.md,
 * "Links"): the entry is named "shared file" or "shared folder".
 * @param {import('../api/client.js').ApiClient} api
 * @param {string} linkId the id as in the URL
 * @param {Uint8Array | string} secret the fragment's 32 bytes, or its text
 * @param {string | null} [password]
 * @param {any} [opening] startLinkOpening's answer, when the caller has it
 * @returns {Promise<import('./session.js').Session & { entry: import('./listing.js').Entry, link: { kind: string, entry: import('./listing.js').Entry, tokenExpiresAt: Date } }>}
 */
export async function openLink(api, linkId, secret, password = null, opening = null) {
  const secretBytes = typeof secret === 'string' ? base64urlDecode(secret) : secret;
  const linkIdBytes = base64urlDecode(linkId);
  const info = await linkInfo(api, linkId);
  if (info.password && !password) throw invalidArgument('this link needs its password');
  const ikm = await linkIkm(secretBytes, info.password ? password : null, info.password ? linkKdfParamsFromJson(info.password) : null);
  let sealKey;
  try {
    sealKey = await linkSealKey(ikm, linkIdBytes);
  } finally {
    wipe(ikm);
  }
  const opened = opening ?? await startLinkOpening(api, linkId);
  const target = await openLinkKey(sealKey, base64urlDecode(opened.sealed_key), { kind: opened.kind, nodeId: opened.node_id });
  /** @type {import('./session.js').Session} */
  const session = {
    api, token: opened.token, user: opened.owner, masterKey: null, keys: new Map([[target.nodeId, target.key]]),
    rootId: target.nodeId, readOnly: true, identity: null, knownKeys: new Map(), guard: new VersionGuard(), sessionId: null, shares: new Map(),
  };
  const node = await call(session, 'GET', `/v1/nodes/${target.nodeId}`);
  const nameBytes = new TextEncoder().encode(target.kind === 'folder' ? 'shared folder' : 'shared file');
  const entry = await entryOfNode(session, node, target.key, { nameBytes, parentId: null, nameTag: null });
  return { ...session, entry, link: { kind: opened.kind, entry, tokenExpiresAt: new Date(opened.token_expires_at * 1000) } };
}

export { parseLinkUrl };
