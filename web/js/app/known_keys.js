// Other users' public keys this browser has met, kept across logins in localStorage, so that
// trust on first use (docs/client.md "Known keys") holds past one page load: a key the server
// swaps later is refused (integrity) even in a new session. Only public keys and user names
// are kept, per account on this server's origin; nothing secret. If someone really changed
// their key, compare the new fingerprint with them, then trust it (Account → People).

const PREFIX = 'coffer.known-keys.';

/**
 * @param {Storage | undefined} storage
 * @param {string} key
 * @returns {Map<string, string>}
 */
function load(storage, key) {
  try {
    const parsed = JSON.parse(storage?.getItem(key) ?? '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return new Map();
    return new Map(Object.entries(parsed).filter(([, hex]) => typeof hex === 'string' && /^[0-9a-f]{64}$/.test(hex)));
  } catch {
    return new Map(); // unreadable: start again, as a new browser would
  }
}

/**
 * The known keys of `user` in `storage` (the page's localStorage by default).
 * @param {string} user
 * @param {Storage | undefined} [storage]
 * @returns {import('../model/session.js').KnownKeys}
 */
export function browserKnownKeys(user, storage = globalThis.localStorage) {
  const key = PREFIX + user;
  const keys = load(storage, key);
  return {
    get: (name) => keys.get(name),
    set(name, publicKeyHex) {
      keys.set(name, publicKeyHex);
      try {
        storage?.setItem(key, JSON.stringify(Object.fromEntries(keys)));
      } catch {
        // Storage full or refused (a private window): remembered for this session only.
      }
    },
  };
}
