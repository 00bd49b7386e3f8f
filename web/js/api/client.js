// The HTTP client of the dashboard and the Node tests: JSON in, JSON or bytes out, errors as
// ApiError (docs/api.md). It holds no session: each call carries its token, so one client
// serves a login, a link's read-only session and the public routes alike.
import { concatBytes } from '../crypto/bytes.js';
import { ApiError, apiErrorFrom } from './api_error.js';

/**
 * @typedef {object} RequestOptions
 * @property {unknown} [json] a body sent as JSON
 * @property {Uint8Array | Blob} [body] a body sent as application/octet-stream
 * @property {string | null} [token] the session (or link) token, as `Authorization: Bearer`
 * @property {Record<string, string | number | null | undefined>} [query] URL-encoded; null and
 *   undefined values are left out
 * @property {Record<string, string>} [headers]
 * @property {AbortSignal} [signal]
 */

/** @typedef {(input: string, init?: RequestInit) => Promise<Response>} FetchFunction */

export class ApiClient {
  /**
   * @param {string} baseUrl the server, e.g. `https://coffer.example` (a trailing / is dropped);
   *   '' for the page's own origin
   * @param {{ fetch?: FetchFunction }} [options] another fetch (tests wrap it to tamper answers)
   */
  constructor(baseUrl, options = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    /** @type {FetchFunction} */
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /**
   * @param {string} path beginning with /
   * @param {RequestOptions['query']} [query]
   */
  url(path, query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== null && value !== undefined) params.set(key, String(value));
    }
    const text = params.toString();
    return `${this.baseUrl}${path}${text ? `?${text}` : ''}`;
  }

  /**
   * The raw answer of a request; a status of 400 or above is thrown as ApiError.
   * @param {string} method
   * @param {string} path
   * @param {RequestOptions} [options]
   * @returns {Promise<Response>}
   */
  async send(method, path, options = {}) {
    /** @type {Record<string, string>} */
    const headers = { ...(options.headers ?? {}) };
    /** @type {BodyInit | undefined} */
    let body;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body !== undefined) {
      headers['Content-Type'] = 'application/octet-stream';
      body = /** @type {BodyInit} */ (options.body);
    }
    if (options.token) headers.Authorization = `Bearer ${options.token}`;
    let response;
    try {
      response = await this.fetch(this.url(path, options.query), { method, headers, body, signal: options.signal, cache: 'no-store' });
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      throw new ApiError(0, 'network', `${method} ${path}: no answer from the server (${error instanceof Error ? error.message : 'network error'})`);
    }
    if (response.status >= 400) throw apiErrorFrom(response.status, await jsonOrNull(response));
    return response;
  }

  /**
   * A request whose answer is JSON (parsed), bytes (application/octet-stream) or nothing (null).
   * @param {string} method
   * @param {string} path
   * @param {RequestOptions} [options]
   * @returns {Promise<any>}
   */
  async request(method, path, options = {}) {
    const response = await this.send(method, path, options);
    const type = response.headers.get('Content-Type') ?? '';
    if (type.startsWith('application/json')) {
      try {
        return await response.json();
      } catch {
        throw new ApiError(response.status, 'bad_answer', `${method} ${path}: the server's answer is not JSON`);
      }
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    return bytes.length === 0 && !type.startsWith('application/octet-stream') ? null : bytes;
  }

  /**
   * A blob's bytes (docs/api.md, GET /v1/blobs/{id}), at most `maxBytes`: a longer answer is
   * refused (ApiError `too_large`) as soon as it is seen, before it is all in memory.
   * @param {string} blobId
   * @param {string | null} token
   * @param {AbortSignal} [signal]
   * @param {number} [maxBytes]
   */
  async getBytes(blobId, token, signal, maxBytes = Infinity) {
    const response = await this.send('GET', `/v1/blobs/${blobId}`, { token, signal });
    const tooLarge = () => new ApiError(response.status, 'too_large', `GET blob ${blobId}: more than the ${maxBytes} bytes expected`);
    const declared = response.headers.get('Content-Length');
    if (Number(declared ?? 0) > maxBytes) {
      await response.body?.cancel();
      throw tooLarge();
    }
    // A declared length bounds the body (HTTP's framing): read it whole, in one copy.
    if (declared !== null) return new Uint8Array(await response.arrayBuffer());
    if (!response.body) return new Uint8Array(0);
    const reader = response.body.getReader();
    /** @type {Uint8Array[]} */
    const parts = [];
    let length = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.length;
      if (length > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      parts.push(value);
    }
    return parts.length === 1 ? parts[0] : concatBytes(...parts);
  }
}

/** @param {Response} response */
async function jsonOrNull(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}
