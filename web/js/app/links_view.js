// The user's links: what each opens (its label, decrypted), expiry, downloads, password, and
// Revoke. A link's URL cannot be shown again: its key was never stored.
import { clearMessages, guarded, render, setError, setStatus } from './context.js';
import { formatDate, h } from './dom.js';
import { listLinks, revokeLink } from '../model/index.js';

/**
 * @param {import('./context.js').Context} ctx
 * @param {HTMLElement} view
 */
export async function showLinks(ctx, view) {
  const { session } = ctx;
  const box = h('div', {}, h('p', { className: 'hint' }, 'Loading your links…'));
  render(view, h('h1', { tabindex: '-1' }, 'Links'), h('p', { className: 'hint' }, 'Create a link from a file\'s or folder\'s actions in My files.'), box);
  /** @type {Awaited<ReturnType<typeof listLinks>>} */
  let links;
  try {
    links = await listLinks(session);
  } catch (error) {
    render(box);
    setError(error);
    return;
  }
  if (links.length === 0) {
    render(box, h('p', { className: 'empty' }, 'You have no links.'));
    return;
  }
  const rows = links.map((link) => {
    const label = link.label ?? `(label does not open: ${link.labelError})`;
    const max = link.maxDownloads;
    return h('tr', { 'data-name': label },
      h('td', {}, link.kind === 'folder' ? `${label}/` : label),
      h('td', { className: 'wide' }, formatDate(link.createdAt)),
      h('td', {}, link.expiresAt ? formatDate(link.expiresAt) : 'never'),
      h('td', { className: 'num' }, `${link.downloads ?? 0}${max ? ` / ${max}` : ''}`),
      h('td', {}, link.password ? 'yes' : 'no'),
      h('td', { className: 'actions' }, h('button', { type: 'button', className: 'danger', 'aria-label': `Revoke the link to ${label}`, onclick: async () => {
        clearMessages();
        if (await guarded(async () => { await revokeLink(session, link); return true; })) setStatus(`The link to ${label} is revoked.`);
        await showLinks(ctx, view);
      } }, 'Revoke')));
  });
  render(box, h('table', { className: 'listing' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Opens'), h('th', { scope: 'col', className: 'wide' }, 'Created'), h('th', { scope: 'col' }, 'Expires'), h('th', { scope: 'col', className: 'num' }, 'Downloads'), h('th', { scope: 'col' }, 'Password'), h('th', { scope: 'col' }, ''))),
    h('tbody', {}, ...rows)));
}
