// Logging in and out (docs/api.md, "Logging in"), exactly as the C++ client does: the password
// never leaves the page; scrypt and HKDF give auth_key (sent) and kek (kept), kek opens the key
// bundle, the master key unwraps the root folder's key.
import { base64urlDecode, base64urlEncode } from '../crypto/base64url.js';
import { wipe } from '../crypto/bytes.js';
import { deriveLoginKeys, kdfParamsFromJson } from '../crypto/kdf.js';
import { openKeyBundle } from '../crypto/key_bundle.js';
import { unwrapKey } from '../crypto/key_wrap.js';
import { VersionGuard } from './version_guard.js';

/**
 * What remembers other users' public keys (trust on first use, docs/client.md "Known keys"):
 * a Map works; the pages may give one kept in the browser's storage.
 * @typedef {{ get(name: string): string | undefined, set(name: string, publicKeyHex: string): unknown }} KnownKeys
 */

/**
 * A logged-in user, or (readOnly) a share link opened by anyone.
 * @typedef {object} Session
 * @property {import('../api/client.js').ApiClient} api
 * @property {string} token the bearer token of every request
 * @property {string} user the user's name (a link's: the owner's)
 * @property {Uint8Array | null} masterKey null for a link
 * @property {Map<string, Uint8Array>} keys node id -> node key bytes, of every node this session
 *   opened (the root, listed entries, shares, a link's node)
 * @property {string} rootId the root folder (a link's: the linked node)
 * @property {boolean} readOnly a link's session: reading only
 * @property {import('../crypto/x25519.js').X25519Identity | null} identity null for a link
 * @property {KnownKeys} knownKeys
 * @property {VersionGuard} guard the highest revisions and versions seen (docs/crypto.md 15)
 * @property {string | null} sessionId
 * @property {Map<string, import('./shares.js').IncomingShare>} shares opened incoming shares by node id
 * @property {Map<string, import('./folder_state.js').FolderState>} [folderStates] the folders' last
 *   known revisions and commitments, for changes (folder_state.js)
 */

/**
 * @param {import('../api/client.js').ApiClient} api
 * @param {string} user
 * @param {string} password as typed
 * @param {{ device?: string, knownKeys?: KnownKeys, onProgress?: (fraction: number) => void }} [options]
 * @returns {Promise<Session>}
 */
export async function login(api, user, password, options = {}) {
  const params = await api.request('GET', '/v1/auth/params', { query: { user } });
  const keys = await deriveLoginKeys(password, kdfParamsFromJson(params.kdf), options.onProgress);
  let made;
  try {
    made = await api.request('POST', '/v1/sessions', {
      json: { user, auth_key: base64urlEncode(keys.authKey), device: options.device ?? 'web dashboard' },
    });
  } finally {
    wipe(keys.authKey);
  }
  try {
    const account = await api.request('GET', '/v1/account', { token: made.token });
    const { masterKey, identity } = await openKeyBundle(keys.kek, base64urlDecode(account.key_bundle));
    const rootKey = await unwrapKey(masterKey, base64urlDecode(account.root_wrapped_key));
    return {
      api,
      token: made.token,
      user: account.user,
      masterKey,
      keys: new Map([[account.root_node_id, rootKey]]),
      rootId: account.root_node_id,
      readOnly: false,
      identity,
      knownKeys: options.knownKeys ?? new Map(),
      guard: new VersionGuard(),
      sessionId: made.session_id ?? null,
      shares: new Map(),
    };
  } catch (error) {
    await api.request('DELETE', '/v1/sessions/current', { token: made.token }).catch(() => null);
    throw error;
  } finally {
    wipe(keys.kek);
  }
}

/**
 * Ends the session on the server (a link's token simply expires) and forgets its keys.
 * @param {Session} session
 */
export async function logout(session) {
  try {
    if (!session.readOnly) await session.api.request('DELETE', '/v1/sessions/current', { token: session.token });
  } finally {
    forget(session);
  }
}

/** @param {Session} session */
function forget(session) {
  for (const key of session.keys.values()) wipe(key);
  session.keys.clear();
  if (session.masterKey) wipe(session.masterKey);
  session.masterKey = null;
  session.identity = null; // a non-extractable CryptoKey: dropped, the browser frees it
  session.shares.clear();
  session.folderStates?.clear();
  session.token = '';
}

/**
 * A request with the session's token.
 * @param {Session} session
 * @param {string} method
 * @param {string} path
 * @param {import('../api/client.js').RequestOptions} [options]
 */
export function call(session, method, path, options = {}) {
  return session.api.request(method, path, { ...options, token: session.token });
}
