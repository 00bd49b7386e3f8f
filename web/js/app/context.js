// What every view of the dashboard shares: the session, the status and error lines, the
// transfers list, and navigation between views.
import { byId, describeError, replace } from './dom.js';

/**
 * @typedef {object} Context
 * @property {import('../model/session.js').Session} session
 * @property {(view: string, options?: any) => void} show opens a view ('files', 'shared', 'trash', 'links', 'account')
 * @property {() => void} logout
 */

/** @param {string} message */
export function setStatus(message) {
  byId('status').textContent = message;
  if (message) byId('error').textContent = '';
}

/** @param {unknown} error */
export function setError(error) {
  byId('error').textContent = error ? describeError(error) : '';
  if (error) byId('status').textContent = '';
}

export function clearMessages() {
  byId('status').textContent = '';
  byId('error').textContent = '';
}

/** The list transfers are shown in. */
export function transfersList() {
  byId('transfers-box').hidden = false;
  return byId('transfers');
}

/**
 * Runs an action, showing its failure in the error line; resolves with its value or undefined.
 * @template T
 * @param {() => Promise<T>} action
 * @returns {Promise<T | undefined>}
 */
export async function guarded(action) {
  try {
    return await action();
  } catch (error) {
    setError(error);
    return undefined;
  }
}

/**
 * @param {Element} view
 * @param {...(Node | string | null | false)} children
 */
export function render(view, ...children) {
  replace(view, ...children);
}
