// Sharing (docs/api.md "Sharing", docs/crypto.md section 9), as the C++ share manager and
// incoming shares do: a grant seals the node key and name for the grantee with the granter's
// identity; the grantee opens it with the granter's public key (checked against the known
// keys), and checks that it names the node, the owner and the kind the server lists.
import { base64urlDecode, base64urlEncode } from '../crypto/base64url.js';
import { integrityError, invalidArgument } from '../crypto/errors.js';
import { openGrant, sealGrant } from '../crypto/grant_seal.js';
import { whois } from './account.js';
import { entryOfNode } from './listing.js';
import { call } from './session.js';

/**
 * A share to this user, opened.
 * @typedef {object} IncomingShare
 * @property {string} nodeId
 * @property {string} owner
 * @property {string} grantedBy
 * @property {string} grantedByFingerprint the fingerprint of the key the grant was sealed with
 * @property {'read' | 'write' | 'manage'} role
 * @property {string} name the node's name as the granter saw it
 * @property {import('./listing.js').Entry} entry the shared node, for openFolder and readFile
 */

/** @param {import('./session.js').Session} session */
function identityOf(session) {
  if (!session.identity || session.readOnly) throw invalidArgument('a link session cannot share');
  return session.identity;
}

/**
 * Shares a file or folder (not the root) with `user` under `role`; the grant replaces an
 * earlier one. Returns the grantee's fingerprint, for the user to compare out of band.
 * @param {import('./session.js').Session} session
 * @param {import('./listing.js').Entry} entry
 * @param {string} user
 * @param {'read' | 'write' | 'manage'} role
 */
export async function share(session, entry, user, role) {
  const identity = identityOf(session);
  if (user === session.user) throw invalidArgument('you cannot share with yourself');
  if (entry.nodeId === session.rootId) throw invalidArgument('the root folder cannot be shared: share a folder in it');
  if (entry.kind !== 'file' && entry.kind !== 'folder') throw invalidArgument('only files and folders can be shared');
  const node = await call(session, 'GET', `/v1/nodes/${entry.nodeId}`);
  const grantee = await whois(session, user);
  const sealed = await sealGrant(identity, grantee.publicKey, {
    nodeId: entry.nodeId, owner: node.owner, grantee: user, name: entry.nameBytes, isFolder: entry.kind === 'folder', key: entry.key,
  });
  const made = await call(session, 'POST', '/v1/shares', { json: { node_id: entry.nodeId, grantee: user, role, sealed_key: base64urlEncode(sealed) } });
  return { share: made, fingerprint: grantee.fingerprint };
}

/**
 * Revokes a grant (or, as the grantee, leaves a share).
 * @param {import('./session.js').Session} session
 * @param {import('./listing.js').Entry | string} entry or its node id
 * @param {string} user the grantee
 */
export async function unshare(session, entry, user) {
  const id = typeof entry === 'string' ? entry : entry.nodeId;
  await call(session, 'DELETE', `/v1/shares/${id}/${encodeURIComponent(user)}`);
  session.shares.delete(id);
}

/**
 * The grants on this user's nodes and those they made: the server's SHARE objects.
 * @param {import('./session.js').Session} session
 */
export async function listOutgoingShares(session) {
  return (await call(session, 'GET', '/v1/shares')).outgoing;
}

/**
 * The shares to this user, each opened; a grant that does not open is left out and named in
 * `refused` (never shown with a wrong key).
 * @param {import('./session.js').Session} session
 * @returns {Promise<{ shares: IncomingShare[], refused: Array<{ nodeId: string, owner: string, error: string }> }>}
 */
export async function sharedWithMe(session) {
  const identity = identityOf(session);
  const incoming = (await call(session, 'GET', '/v1/shares')).incoming;
  /** @type {Map<string, Promise<{ publicKey: Uint8Array, fingerprint: string }>>} */
  const granterKeys = new Map();
  const shares = [];
  const refused = [];
  for (const grant of incoming) {
    try {
      if (!granterKeys.has(grant.granted_by)) granterKeys.set(grant.granted_by, whois(session, grant.granted_by));
      const granter = await /** @type {Promise<{ publicKey: Uint8Array, fingerprint: string }>} */ (granterKeys.get(grant.granted_by));
      const payload = await openGrant(identity, granter.publicKey, base64urlDecode(grant.sealed_key), grant.node_id, session.user);
      if (payload.owner !== grant.owner) throw integrityError('the grant names another owner');
      if (payload.isFolder !== (grant.node.type === 'folder')) throw integrityError('the grant names another kind of node');
      const entry = await entryOfNode(session, grant.node, payload.key, { nameBytes: payload.name, parentId: null, nameTag: null });
      /** @type {IncomingShare} */
      const opened = {
        nodeId: grant.node_id, owner: grant.owner, grantedBy: grant.granted_by, grantedByFingerprint: granter.fingerprint,
        role: grant.role, name: entry.name, entry,
      };
      session.shares.set(grant.node_id, opened);
      shares.push(opened);
    } catch (error) {
      refused.push({ nodeId: grant.node_id, owner: grant.owner, error: error instanceof Error ? error.message : 'does not open' });
    }
  }
  return { shares, refused };
}
