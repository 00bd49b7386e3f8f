// One assertion for the module's refusals: the promise rejects with a CofferCryptoError of the
// expected code, and the message carries no key material or token text.
import assert from 'node:assert/strict';

import { CofferCryptoError } from '../../web/js/crypto/errors.js';

/**
 * @param {Promise<unknown> | (() => unknown)} action
 * @param {'integrity' | 'invalid_token' | 'invalid_argument'} code
 * @param {string} [what]
 * @param {string[]} [secrets] texts that must not appear in the message
 */
export async function assertRefused(action, code, what = '', secrets = []) {
  const run = typeof action === 'function' ? Promise.resolve().then(action) : action;
  await assert.rejects(run, (error) => {
    assert.ok(error instanceof CofferCryptoError, `${what}: ${error}`);
    assert.equal(error.code, code, `${what}: ${error.message}`);
    for (const secret of secrets) assert.ok(!error.message.includes(secret), `${what}: the message leaks a secret`);
    return true;
  }, what);
}
