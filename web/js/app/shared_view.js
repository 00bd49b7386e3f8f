// "Shared with me": the shares other users granted, each opened and checked, with the key
// fingerprint of who sealed it (to compare with them); a folder opens in the file list
// (writable when the share allows), a file downloads.
import { sharedWithMe } from '../model/index.js';
import { clearMessages, guarded, render, setError, setStatus, transfersList } from './context.js';
import { formatBytes, h } from './dom.js';
import { downloadEntry } from './download_action.js';
import { showFiles } from './files_view.js';

/**
 * @param {import('./context.js').Context} ctx
 * @param {HTMLElement} view
 */
export async function showShared(ctx, view) {
  const { session } = ctx;
  const box = h('div', {}, h('p', { className: 'hint' }, 'Opening the shares…'));
  render(view, h('h1', { tabindex: '-1' }, 'Shared with me'), box);
  /** @type {Awaited<ReturnType<typeof sharedWithMe>>} */
  let found;
  try {
    found = await sharedWithMe(session);
  } catch (error) {
    render(box);
    setError(error);
    return;
  }
  const refused = found.refused.map((r) => h('li', { className: 'error' }, `A share from ${r.owner} does not open: ${r.error}`));
  if (found.shares.length === 0) {
    render(box, h('p', { className: 'empty' }, 'Nobody shared anything with you yet.'), refused.length ? h('ul', {}, ...refused) : null);
    return;
  }
  const rows = found.shares.map((s) => h('tr', { 'data-name': s.name },
    h('td', {}, h('button', { type: 'button', className: 'link', onclick: async () => {
      clearMessages();
      if (s.entry.kind === 'folder') {
        await showFiles(ctx, view, { rootLabel: s.name, root: s.entry, path: [], writable: s.role !== 'read', owned: false, above: { label: 'Shared with me', open: () => showShared(ctx, view) } });
      } else if (await guarded(() => downloadEntry(session, s.entry, transfersList()))) setStatus(`Downloaded ${s.name}.`);
    } }, s.name)),
    h('td', {}, s.owner, s.grantedBy === s.owner ? null : h('span', { className: 'hint' }, ` (shared by ${s.grantedBy})`),
      h('div', { className: 'fingerprint-small', title: `the key fingerprint of ${s.grantedBy}, who sealed this share` }, s.grantedByFingerprint)),
    h('td', {}, s.role),
    h('td', { className: 'num wide' }, s.entry.kind === 'file' ? formatBytes(s.entry.size) : 'folder')));
  render(box, h('table', { className: 'listing' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Owner'), h('th', { scope: 'col' }, 'Access'), h('th', { scope: 'col', className: 'wide' }, 'Size'))),
    h('tbody', {}, ...rows)), refused.length ? h('ul', {}, ...refused) : null);
}
