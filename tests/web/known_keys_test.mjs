// The dashboard's known keys kept in the browser's storage (web/js/app/known_keys.js), on an
// in-memory Storage: a key met once is remembered by the next login's store, per account, and
// damaged storage starts again instead of failing the login.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { browserKnownKeys } from '../../web/js/app/known_keys.js';

class MemoryStorage {
  constructor() { this.items = new Map(); }
  /** @param {string} key */
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  /** @param {string} key @param {string} value */
  setItem(key, value) { this.items.set(key, String(value)); }
}

const BOB = 'ab'.repeat(32);

test('a key met in one session is known to the next, for that account only', () => {
  const storage = new MemoryStorage();
  const first = browserKnownKeys('alice', /** @type {any} */ (storage));
  assert.equal(first.get('bob'), undefined);
  first.set('bob', BOB);
  assert.equal(browserKnownKeys('alice', /** @type {any} */ (storage)).get('bob'), BOB);
  assert.equal(browserKnownKeys('carol', /** @type {any} */ (storage)).get('bob'), undefined);
});

test('damaged storage is read as empty; a storage that refuses writes keeps the key for the session', () => {
  const storage = new MemoryStorage();
  storage.setItem('coffer.known-keys.alice', '{not json');
  assert.equal(browserKnownKeys('alice', /** @type {any} */ (storage)).get('bob'), undefined);
  storage.setItem('coffer.known-keys.alice', JSON.stringify({ bob: 'not hex', carol: BOB }));
  const keys = browserKnownKeys('alice', /** @type {any} */ (storage));
  assert.equal(keys.get('bob'), undefined);
  assert.equal(keys.get('carol'), BOB);
  const refusing = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); } };
  const session = browserKnownKeys('alice', /** @type {any} */ (refusing));
  session.set('bob', BOB);
  assert.equal(session.get('bob'), BOB);
});
