// The link functions of the model (contract: createLink, listLinks, revokeLink, linkInfo,
// openLink), looked up at call time so that the dashboard loads even where the model does not
// have them, and says so instead.
import * as model from '../model/index.js';

/**
 * @param {string} name
 * @returns {(...args: any[]) => Promise<any>}
 */
export function linkFunction(name) {
  const found = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (model))[name];
  if (typeof found !== 'function') {
    return async () => {
      throw new Error(`links are not available in this version of the dashboard (${name})`);
    };
  }
  return /** @type {(...args: any[]) => Promise<any>} */ (found);
}
