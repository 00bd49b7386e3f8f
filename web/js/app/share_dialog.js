// Sharing a file or folder with another user: their key's fingerprint is shown for comparison
// out of band before anything is sealed for them; the node's current grants can be revoked.
import { listOutgoingShares, share, unshare, whois } from '../model/index.js';
import { setStatus } from './context.js';
import { openDialog } from './dialog.js';
import { describeError, h, replace } from './dom.js';

/**
 * @param {import('../model/session.js').Session} session
 * @param {import('../model/listing.js').Entry} entry
 */
export async function shareDialog(session, entry) {
  const user = /** @type {HTMLInputElement} */ (h('input', { name: 'user', required: true, autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false' }));
  const role = /** @type {HTMLSelectElement} */ (h('select', { name: 'role' },
    h('option', { value: 'read' }, 'Read'), h('option', { value: 'write' }, 'Read and write'), h('option', { value: 'manage' }, 'Manage (may share further)')));
  const existing = h('div', {}, h('p', { className: 'hint' }, 'Loading who has access…'));
  const error = h('p', { className: 'error', role: 'alert' });
  const refreshExisting = async () => {
    try {
      const grants = (await listOutgoingShares(session)).filter((/** @type {any} */ s) => s.node_id === entry.nodeId);
      if (grants.length === 0) {
        replace(existing, h('p', { className: 'hint' }, 'Not shared with anyone yet.'));
        return;
      }
      replace(existing, h('p', {}, 'Shared with:'), h('ul', {}, ...grants.map((/** @type {any} */ g) => h('li', {}, `${g.grantee} (${g.role}) `,
        h('button', { type: 'button', className: 'secondary', 'aria-label': `Stop sharing with ${g.grantee}`, onclick: async () => {
          try {
            await unshare(session, entry, g.grantee);
            await refreshExisting();
          } catch (e) {
            error.textContent = describeError(e);
          }
        } }, 'Stop sharing')))));
    } catch (e) {
      replace(existing);
      error.textContent = describeError(e);
    }
  };
  const opened = openDialog(`Share ${entry.name}`, [existing, h('label', {}, 'User name', user), h('label', {}, 'Access', role), error], { ok: 'Next' });
  refreshExisting();
  if (await opened !== 'ok') return;
  const name = user.value.trim();
  let key;
  try {
    key = await whois(session, name);
  } catch (e) {
    await openDialog('Cannot share', [h('p', { className: 'error' }, describeError(e))], { ok: 'Close', cancel: null });
    return;
  }
  const confirmed = await openDialog(`Share ${entry.name} with ${name}?`, [
    h('p', {}, `${name}'s key fingerprint${key.seen === 'new' ? ' (seen for the first time)' : ' (as remembered)'}:`),
    h('p', { className: 'fingerprint', id: 'share-fingerprint' }, key.fingerprint),
    h('p', { className: 'hint' }, `Compare it with the one ${name} sees with "coffer whoami" before you share anything sensitive.`),
  ], { ok: 'Share' });
  if (confirmed !== 'ok') return;
  try {
    await share(session, entry, name, /** @type {'read' | 'write' | 'manage'} */ (role.value));
    setStatus(`${entry.name} is shared with ${name} (${role.value}); fingerprint ${key.fingerprint}.`);
  } catch (e) {
    await openDialog('Cannot share', [h('p', { className: 'error' }, describeError(e))], { ok: 'Close', cancel: null });
  }
}
