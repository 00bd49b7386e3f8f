// Creating a link for someone without an account: expiry, number of downloads, optional
// password. The URL carries the key in its fragment, which no browser sends to the server;
// it is shown once, here, and cannot be shown again (the server never has it).
import { openDialog } from './dialog.js';
import { describeError, h } from './dom.js';
import { createLink } from '../model/index.js';

const DAY = 24 * 3600;

/**
 * @param {import('../model/session.js').Session} session
 * @param {import('../model/listing.js').Entry} entry
 * @param {string} path the entry's path, kept (encrypted) as the link's label
 */
export async function createLinkDialog(session, entry, path) {
  const expiry = /** @type {HTMLSelectElement} */ (h('select', { name: 'expiry', id: 'link-expiry' },
    h('option', { value: String(DAY) }, '1 day'), h('option', { value: String(7 * DAY) }, '7 days'),
    h('option', { value: String(30 * DAY) }, '30 days'), h('option', { value: '0' }, 'Never')));
  expiry.value = String(7 * DAY);
  const downloads = /** @type {HTMLInputElement} */ (h('input', { type: 'number', min: 1, step: 1, name: 'max', id: 'link-max', placeholder: 'no limit' }));
  const password = /** @type {HTMLInputElement} */ (h('input', { type: 'password', name: 'password', id: 'link-password', autocomplete: 'new-password', placeholder: 'none' }));
  const answer = await openDialog(`Create a link to ${entry.name}`, [
    h('label', {}, 'Expires after', expiry),
    h('label', {}, 'Maximum downloads', downloads),
    h('label', {}, 'Password (optional)', password),
    h('p', { className: 'hint' }, 'Anyone with the link (and its password, if you set one) can read this ' + (entry.kind === 'folder' ? 'folder and everything in it.' : 'file.')),
  ], { ok: 'Create link' });
  if (answer !== 'ok') return;
  const seconds = Number(expiry.value);
  const options = {
    expiresAt: seconds > 0 ? Math.floor(Date.now() / 1000) + seconds : null,
    maxDownloads: downloads.value ? Number(downloads.value) : null,
    password: password.value || null,
    label: path,
  };
  let url;
  try {
    url = (await createLink(session, entry, options)).url;
  } catch (e) {
    await openDialog('Cannot create the link', [h('p', { className: 'error' }, describeError(e))], { ok: 'Close', cancel: null });
    return;
  }
  const field = /** @type {HTMLInputElement} */ (h('input', { className: 'url', id: 'link-url', readonly: true, value: url, 'aria-label': 'Link' }));
  const copied = h('span', { className: 'status', role: 'status' });
  await openDialog('Link created', [
    field,
    h('button', { type: 'button', className: 'secondary', onclick: async () => {
      field.select();
      try {
        await navigator.clipboard.writeText(url);
        copied.textContent = 'Copied.';
      } catch {
        copied.textContent = 'Select the text and copy it.';
      }
    } }, 'Copy'),
    copied,
    h('p', { className: 'hint' }, 'Keep it now: the key is in the link, and the server cannot show it again.' + (options.password ? ' Send the password another way.' : '')),
  ], { ok: 'Done', cancel: null });
}
