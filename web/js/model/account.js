// The account's views: usage, sessions, and other users' public keys with their fingerprints
// (docs/crypto.md section 10), remembered on first use (docs/client.md, "Known keys").
import { base64urlDecode } from '../crypto/base64url.js';
import { integrityError, invalidArgument } from '../crypto/errors.js';
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
 * The public key the server gives for `name` now, and its fingerprint.
 * @param {import('./session.js').Session} session
 * @param {string} name
 */
async function serverKey(session, name) {
  const answer = await call(session, 'GET', `/v1/users/${encodeURIComponent(name)}/public_key`);
  const publicKey = base64urlDecode(answer.public_key);
  return { answer, publicKey, fingerprint: await keyFingerprint(publicKey), hex: hexEncode(publicKey) };
}

/**
 * Trusts the key the server gives for `name` now, as `coffer trust` does: only when its
 * fingerprint is the one `fingerprint` names (read to the user by its owner; spaces and case
 * do not matter), and then it replaces the key remembered. Refused (invalid_argument) when the
 * fingerprints differ; nothing changes then.
 * @param {import('./session.js').Session} session
 * @param {string} name
 * @param {string} fingerprint
 * @returns {Promise<string>} the fingerprint trusted, as printed
 */
export async function trust(session, name, fingerprint) {
  const { hex, fingerprint: actual } = await serverKey(session, name);
  const typed = fingerprint.replace(/\s+/g, '').toLowerCase();
  if (typed !== actual.replace(/ /g, '')) {
    throw invalidArgument(`the server's key for ${name} has the fingerprint ${actual}, not ${fingerprint.trim()}: nothing changed`);
  }
  session.knownKeys.set(name, hex);
  return actual;
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
  const { answer, publicKey, fingerprint, hex } = await serverKey(session, name);
  const remembered = session.knownKeys.get(name);
  if (remembered !== undefined && remembered !== hex) {
    throw integrityError(`the public key of ${name} is not the one remembered: it changed on the server (now ${fingerprint})`);
  }
  if (remembered === undefined) session.knownKeys.set(name, hex);
  return { user: answer.user, publicKey, fingerprint, seen: remembered === undefined ? 'new' : 'known' };
}
