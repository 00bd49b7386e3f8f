// The one error the crypto module throws for anything it refuses (docs/crypto.md section 13).
// Messages name the defect, never key material, plaintext or tokens.

/** @typedef {'integrity' | 'invalid_token' | 'invalid_argument'} CryptoErrorCode */

export class CofferCryptoError extends Error {
  /**
   * @param {CryptoErrorCode} code integrity: stored data does not open; invalid_token: the raw
   *   Fernet layer or base64url refuses a token; invalid_argument: bad caller or server input.
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.name = 'CofferCryptoError';
    /** @type {CryptoErrorCode} */
    this.code = code;
  }
}

/** @param {string} message */
export function integrityError(message) {
  return new CofferCryptoError('integrity', message);
}

/** @param {string} message */
export function invalidToken(message) {
  return new CofferCryptoError('invalid_token', message);
}

/** @param {string} message */
export function invalidArgument(message) {
  return new CofferCryptoError('invalid_argument', message);
}
