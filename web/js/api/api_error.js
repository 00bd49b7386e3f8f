// The one error the API client throws for an answer that is not a success (docs/api.md,
// "Errors"): the HTTP status, the server's error code and its message for people. A request
// that got no answer at all (the network, a closed connection) is status 0, code `network`.

export class ApiError extends Error {
  /**
   * @param {number} status the HTTP status; 0 when no answer came
   * @param {string} code the server's `error` field (`not_found`, `conflict`, ...), else a name
   *   for the status, or `network`
   * @param {string} message
   * @param {Record<string, unknown>} [details] the other fields of the error body
   */
  constructor(status, code, message, details = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The code a client falls back on when the body names none (docs/api.md). */
const CODE_OF_STATUS = new Map([
  [400, 'bad_request'],
  [401, 'unauthenticated'],
  [403, 'forbidden'],
  [404, 'not_found'],
  [409, 'conflict'],
  [410, 'gone'],
  [413, 'too_large'],
  [416, 'range_not_satisfiable'],
  [429, 'rate_limited'],
  [503, 'unavailable'],
  [507, 'quota_exceeded'],
]);

/**
 * @param {number} status
 * @param {unknown} body the parsed JSON body, or anything else
 */
export function apiErrorFrom(status, body) {
  const fields = body !== null && typeof body === 'object' ? /** @type {Record<string, unknown>} */ (body) : {};
  const { error, message, ...details } = fields;
  const code = typeof error === 'string' ? error : (CODE_OF_STATUS.get(status) ?? (status >= 500 ? 'internal' : 'http_error'));
  const text = typeof message === 'string' ? message : `the server answered ${status}`;
  return new ApiError(status, code, text, details);
}
