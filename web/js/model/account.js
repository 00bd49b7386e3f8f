// The account's views: usage, sessions, and other users' public keys with their fingerprints
// (docs/crypto.md section 10), remembered on first use (docs/client.md, "Known keys").
import { base64urlDecode } from '../crypto/base64url.js';
import { integrityError } from '../crypto/errors.js';
import { keyFingerprint } from '../crypto/fingerprint.js';
import { hexEncode } from '../crypto/hex.js';
import { call } from './session.js';

/**
 * GET /v1/usage: `{used, quota, current, versions, trash, other}` in bytes (quota null: none).
 * @param {import('./session.js').Session} session
 */
export function usage(session) {
  return call(session, 'GET', '/v1/usage');
}

/**
 * The live sessions of the account, newest first (`current` marks this one).
 * @param {import('./session.js').Session} session
 * @returns {Promise<Array<{ sessionId: string, device: string, createdAt: Date, lastSeen: Date, expiresAt: Date, current: boolean }>>}
 */
export async function listSessions(session) {
  const listed = (await call(session, 'GET', '/v1/sessions')).sessions;
  return listed.map((/** @type {any} */ s) => ({
    sessionId: s.session_id, device: s.device, createdAt: new Date(s.created_at * 1000),
    lastSeen: new Date(s.last_seen * 1000), expiresAt: new Date(s.expires_at * 1000), current: s.current,
  }));
}

/**
 * @param {import('./session.js').Session} session
 * @param {string} sessionId
 */
export async function revokeSession(session, sessionId) {
  await call(session, 'DELETE', `/v1/sessions/${sessionId}`);
}

/**
 * A user's public key and fingerprint. `seen` is `new` the first time this session's known keys
 * meet the name, `known` when it matches what they hold; a different key than remembered is
 * refused (integrity): the server may be substituting its own.
 * @param {import('./session.js').Session} session
 * @param {string} name
 * @returns {Promise<{ user: string, publicKey: Uint8Array, fingerprint: string, seen: 'new' | 'known' }>}
 */
export async function whois(session, name) {
  const answer = await call(session, 'GET', `/v1/users/${encodeURIComponent(name)}/public_key`);
  const publicKey = base64urlDecode(answer.public_key);
  const fingerprint = await keyFingerprint(publicKey);
  const hex = hexEncode(publicKey);
  const remembered = session.knownKeys.get(name);
  if (remembered !== undefined && remembered !== hex) {
    throw integrityError(`the public key of ${name} is not the one remembered: it changed on the server (now ${fingerprint})`);
  }
  if (remembered === undefined) session.knownKeys.set(name, hex);
  return { user: answer.user, publicKey, fingerprint, seen: remembered === undefined ? 'new' : 'known' };
}
