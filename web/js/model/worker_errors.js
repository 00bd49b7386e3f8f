// Errors across a worker's message port: structured cloning keeps an Error's message but not
// its class or fields, so the worker sends what the page needs to rebuild the same error
// (ApiError's status and code, the crypto error's code) and the cause keeps its own code.
import { ApiError } from '../api/api_error.js';
import { CofferCryptoError } from '../crypto/errors.js';

/**
 * @typedef {{ kind: 'api', status: number, code: string, message: string, details: Record<string, unknown> }
 *   | { kind: 'crypto', code: import('../crypto/errors.js').CryptoErrorCode, message: string }
 *   | { kind: 'abort', message: string }
 *   | { kind: 'other', message: string }} ErrorMessage
 */

/**
 * @param {unknown} error
 * @returns {ErrorMessage}
 */
export function errorAsMessage(error) {
  if (error instanceof ApiError) return { kind: 'api', status: error.status, code: error.code, message: error.message, details: error.details };
  if (error instanceof CofferCryptoError) return { kind: 'crypto', code: error.code, message: error.message };
  if (error instanceof Error && error.name === 'AbortError') return { kind: 'abort', message: error.message };
  return { kind: 'other', message: error instanceof Error ? error.message : String(error) };
}

/**
 * @param {ErrorMessage} message
 * @returns {Error}
 */
export function errorFromMessage(message) {
  switch (message.kind) {
    case 'api': return new ApiError(message.status, message.code, message.message, message.details);
    case 'crypto': return new CofferCryptoError(message.code, message.message);
    case 'abort': return new DOMException(message.message, 'AbortError');
    default: return new Error(message.message);
  }
}
