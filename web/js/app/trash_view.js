// The trash: what was deleted, with when, and a Restore per item (a folder brings back what
// was trashed in it). An item whose name does not open is listed as such, never guessed.
import { listTrash, restoreFromTrash } from '../model/index.js';
import { clearMessages, guarded, render, setError, setStatus } from './context.js';
import { formatBytes, formatDate, h } from './dom.js';

/**
 * @param {import('./context.js').Context} ctx
 * @param {HTMLElement} view
 */
export async function showTrash(ctx, view) {
  const { session } = ctx;
  const box = h('div', {}, h('p', { className: 'hint' }, 'Decrypting the trash…'));
  render(view, h('h1', { tabindex: '-1' }, 'Trash'), box);
  /** @type {import('../model/trash.js').TrashItem[]} */
  let items;
  try {
    items = await listTrash(session);
  } catch (error) {
    render(box);
    setError(error);
    return;
  }
  if (items.length === 0) {
    render(box, h('p', { className: 'empty' }, 'The trash is empty.'));
    return;
  }
  const rows = items.map((item) => {
    const name = item.entry ? item.entry.name : `(${item.error ?? 'does not open'})`;
    return h('tr', { 'data-name': name },
      h('td', {}, item.entry ? name : h('span', { className: 'error' }, name)),
      h('td', { className: 'num' }, item.entry && item.kind === 'file' ? formatBytes(item.entry.size) : item.kind),
      h('td', { className: 'num wide' }, formatDate(item.trashedAt)),
      h('td', { className: 'actions' }, item.entry && !item.parentInTrash
        ? h('button', { type: 'button', className: 'secondary', 'aria-label': `Restore ${name}`, onclick: async () => {
          clearMessages();
          const restored = await guarded(() => restoreFromTrash(session, item, { items }));
          if (restored !== undefined) setStatus(`${name} restored${typeof restored === 'string' && restored !== name ? ` as ${restored}` : ''}.`);
          await showTrash(ctx, view);
        } }, 'Restore')
        : h('span', { className: 'hint' }, item.parentInTrash ? 'restore its folder' : '')));
  });
  render(box, h('table', { className: 'listing' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col', className: 'num' }, 'Size'), h('th', { scope: 'col', className: 'wide' }, 'Deleted'), h('th', { scope: 'col' }, ''))),
    h('tbody', {}, ...rows)));
}
