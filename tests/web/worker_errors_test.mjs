// An upload worker's errors cross the message port (a structured clone) and come back as the
// same error: ApiError with its status, code and details, the crypto error with its code, an
// abort as an AbortError.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError } from '../../web/js/api/api_error.js';
import { CofferCryptoError, integrityError } from '../../web/js/crypto/errors.js';
import { errorAsMessage, errorFromMessage } from '../../web/js/model/worker_errors.js';

/** @param {unknown} error */
const acrossPort = (error) => errorFromMessage(structuredClone(errorAsMessage(error)));

test('an ApiError keeps its status, code, message and details', () => {
  const back = acrossPort(new ApiError(507, 'quota_exceeded', 'over quota', { quota: 10 }));
  assert.ok(back instanceof ApiError);
  assert.deepEqual([back.status, back.code, back.message, back.details], [507, 'quota_exceeded', 'over quota', { quota: 10 }]);
});

test('a crypto error keeps its code', () => {
  const back = acrossPort(integrityError('chunk: another MAC'));
  assert.ok(back instanceof CofferCryptoError);
  assert.deepEqual([back.code, back.message], ['integrity', 'chunk: another MAC']);
});

test('an abort stays an abort; anything else is an Error with its message', () => {
  const abort = acrossPort(new DOMException('stopped', 'AbortError'));
  assert.equal(abort.name, 'AbortError');
  const other = acrossPort(new TypeError('Failed to fetch'));
  assert.ok(other instanceof Error);
  assert.equal(other.message, 'Failed to fetch');
  assert.equal(acrossPort('a string').message, 'a string');
});
