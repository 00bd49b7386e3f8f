// The file list: a folder's verified entries (decrypted names, sizes, times), breadcrumbs,
// navigation, and what can be done there: new folder, upload by picker or drop, download,
// rename, move, versions, share, link, delete to the trash. Used for "My files" and, read or
// write as the share allows, for a folder shared with the user.
import { makeFolder, move, openFolder, remove, rename } from '../model/index.js';
import { clearMessages, guarded, render, setError, setStatus, transfersList } from './context.js';
import { chooseAction, confirmAction, promptText } from './dialog.js';
import { formatBytes, formatDate, h } from './dom.js';
import { downloadEntry } from './download_action.js';
import { createLinkDialog } from './link_dialog.js';
import { shareDialog } from './share_dialog.js';
import { itemsOfDrop, itemsOfInput, uploadAll } from './upload.js';
import { versionsDialog } from './versions_dialog.js';

/**
 * Where the list is: a root (the user's root, or a shared node) and the folders opened below it.
 * @typedef {object} Place
 * @property {string} rootLabel
 * @property {import('../model/listing.js').Entry | null} root null: the user's root folder
 * @property {import('../model/listing.js').Entry[]} path
 * @property {boolean} writable
 * @property {boolean} owned the user's own files (share and link offered)
 * @property {{ label: string, open: () => void } | null} [above] a crumb before the root
 */

/** @param {Place} place */
function currentFolder(place) {
  return place.path.length ? place.path[place.path.length - 1] : place.root;
}

/**
 * @param {import('./context.js').Context} ctx
 * @param {HTMLElement} view
 * @param {Place} place
 */
export async function showFiles(ctx, view, place) {
  const { session } = ctx;
  const folder = currentFolder(place);
  const heading = h('h1', { id: 'files-title', tabindex: '-1' }, place.path.length ? place.path[place.path.length - 1].name : place.rootLabel);
  // Shown again after a change, unless the user went to another view meanwhile.
  const reopen = async () => {
    if (view.contains(zone)) await showFiles(ctx, view, place);
  };
  const go = (/** @type {import('../model/listing.js').Entry[]} */ path) => showFiles(ctx, view, { ...place, path });

  const crumbs = h('ol');
  if (place.above) {
    const above = place.above;
    crumbs.append(h('li', {}, h('button', { type: 'button', className: 'link', onclick: () => above.open() }, above.label)));
  }
  crumbs.append(h('li', {}, place.path.length
    ? h('button', { type: 'button', className: 'link', onclick: () => go([]) }, place.rootLabel)
    : h('span', { 'aria-current': 'page' }, place.rootLabel)));
  place.path.forEach((entry, i) => {
    const last = i === place.path.length - 1;
    crumbs.append(h('li', {}, last
      ? h('span', { 'aria-current': 'page' }, entry.name)
      : h('button', { type: 'button', className: 'link', onclick: () => go(place.path.slice(0, i + 1)) }, entry.name)));
  });

  const toolbar = h('div', { className: 'toolbar' });
  const table = h('div', { className: 'listing-box' }, h('p', { className: 'hint' }, 'Decrypting the listing…'));
  const zone = h('section', { className: 'dropzone', 'aria-labelledby': 'files-title' }, h('nav', { className: 'crumbs', 'aria-label': 'Folder path' }, crumbs), heading, toolbar, table);
  render(view, zone);

  const upload = async (/** @type {{ items: import('./upload.js').UploadItem[], folders: string[][] }} */ what) => {
    clearMessages();
    const ok = await guarded(async () => {
      await uploadAll(session, folder, what, transfersList());
      return true;
    });
    if (ok) setStatus(`Uploaded ${what.items.length} file${what.items.length === 1 ? '' : 's'}.`);
    await reopen();
  };

  if (place.writable) {
    toolbar.append(h('button', {
      type: 'button', id: 'new-folder', onclick: async () => {
        const name = await promptText('New folder', 'Name', '', { ok: 'Create' });
        if (name === null) return;
        if (await guarded(() => makeFolder(session, folder, name))) setStatus(`Folder ${name} created.`);
        await reopen();
      },
    }, 'New folder'));
    const files = /** @type {HTMLInputElement} */ (h('input', { type: 'file', multiple: true, id: 'upload-files', className: 'file-input' }));
    const dirs = /** @type {HTMLInputElement} */ (h('input', { type: 'file', id: 'upload-folder', className: 'file-input', webkitdirectory: true }));
    for (const input of [files, dirs]) {
      input.addEventListener('change', () => {
        if (input.files && input.files.length) upload(itemsOfInput(input.files));
      });
    }
    toolbar.append(files, h('label', { for: 'upload-files', className: 'button file-input-label' }, 'Upload files'),
      dirs, h('label', { for: 'upload-folder', className: 'button secondary file-input-label' }, 'Upload a folder'));
    toolbar.append(h('span', { className: 'hint' }, 'or drop files and folders here'));
    zone.addEventListener('dragover', (event) => {
      event.preventDefault();
      zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', (event) => {
      event.preventDefault();
      zone.classList.remove('dragging');
      if (event.dataTransfer) itemsOfDrop(event.dataTransfer).then(upload, setError);
    });
  }

  /** @type {import('../model/listing.js').Entry[]} */
  let entries;
  try {
    entries = await openFolder(session, folder);
  } catch (error) {
    render(table, h('p', { className: 'error' }, 'This folder cannot be shown.'));
    setError(error);
    return;
  }
  const folders = entries.filter((e) => e.kind === 'folder');
  const others = entries.filter((e) => e.kind !== 'folder');
  const sorted = [...folders, ...others];
  if (sorted.length === 0) {
    render(table, h('p', { className: 'empty' }, place.writable ? 'This folder is empty. Upload files or drop them here.' : 'This folder is empty.'));
    return;
  }

  const rows = sorted.map((entry) => {
    const open = entry.kind === 'folder'
      ? h('button', { type: 'button', className: 'link', onclick: () => go([...place.path, entry]) }, entry.name)
      : entry.kind === 'file'
        ? h('button', { type: 'button', className: 'link', title: 'Download', onclick: () => download(entry) }, entry.name)
        : h('span', {}, entry.name);
    return h('tr', { 'data-name': entry.name },
      h('td', {}, h('span', { className: `kind kind-${entry.kind}`, role: 'img', 'aria-label': entry.kind }), ' ', open),
      h('td', { className: 'num' }, entry.kind === 'file' ? formatBytes(entry.size) : ''),
      h('td', { className: 'num wide' }, formatDate(entry.mtime)),
      h('td', { className: 'actions' }, h('button', { type: 'button', className: 'secondary', 'aria-label': `Actions for ${entry.name}`, onclick: () => actions(entry) }, '⋯')));
  });
  render(table, h('table', { className: 'listing' },
    h('caption', { className: 'hint' }, `${sorted.length} item${sorted.length === 1 ? '' : 's'}`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col', className: 'num' }, 'Size'), h('th', { scope: 'col', className: 'num wide' }, 'Modified'), h('th', { scope: 'col', className: 'num' }, h('span', { className: 'hint' }, 'Actions')))),
    h('tbody', {}, ...rows)));

  /** @param {import('../model/listing.js').Entry} entry */
  async function download(entry) {
    clearMessages();
    const done = await guarded(() => downloadEntry(session, entry, transfersList()));
    if (done) setStatus(`Downloaded ${entry.name}.`);
  }

  /** @param {import('../model/listing.js').Entry} entry */
  async function actions(entry) {
    /** @type {Array<{ value: string, label: string, danger?: boolean }>} */
    const list = [];
    if (entry.kind === 'folder') list.push({ value: 'open', label: 'Open' });
    if (entry.kind === 'file') list.push({ value: 'download', label: 'Download' });
    if (place.writable) list.push({ value: 'rename', label: 'Rename' }, { value: 'move', label: 'Move' });
    if (entry.kind === 'file') list.push({ value: 'versions', label: 'Versions' });
    if (place.owned && (entry.kind === 'file' || entry.kind === 'folder')) {
      list.push({ value: 'share', label: 'Share with a user' }, { value: 'link', label: 'Create a link' });
    }
    if (place.writable) list.push({ value: 'delete', label: 'Move to trash', danger: true });
    const chosen = await chooseAction(`${entry.name}`, list);
    clearMessages();
    if (chosen === 'open') await go([...place.path, entry]);
    else if (chosen === 'download') await download(entry);
    else if (chosen === 'rename') {
      const name = await promptText(`Rename ${entry.name}`, 'New name', entry.name, { ok: 'Rename' });
      if (name !== null && name !== entry.name && await guarded(() => rename(session, entry, name))) setStatus(`Renamed to ${name}.`);
      await reopen();
    } else if (chosen === 'move') {
      const target = await promptText(`Move ${entry.name}`, `Folder to move it to, as a path from ${place.rootLabel} (/ is ${place.rootLabel} itself)`, '/', { ok: 'Move' });
      if (target === null) return;
      const moved = await guarded(async () => move(session, entry, await resolveFolder(session, place.root, target)));
      if (moved) setStatus(`Moved ${entry.name} to ${target}.`);
      await reopen();
    } else if (chosen === 'versions') {
      await versionsDialog(session, entry);
      await reopen();
    } else if (chosen === 'share') await shareDialog(session, entry);
    else if (chosen === 'link') await createLinkDialog(session, entry, pathOf(place, entry));
    else if (chosen === 'delete') {
      if (!await confirmAction(`Move ${entry.name} to the trash?`, 'You can restore it from the trash.', 'Move to trash')) return;
      if (await guarded(async () => { await remove(session, entry); return true; })) setStatus(`${entry.name} moved to the trash.`);
      await reopen();
    }
  }
}

/**
 * @param {Place} place
 * @param {import('../model/listing.js').Entry} entry
 */
function pathOf(place, entry) {
  return '/' + [...place.path.map((e) => e.name), entry.name].join('/');
}

/**
 * A folder by its path ("/a/b") under `root`.
 * @param {import('../model/session.js').Session} session
 * @param {import('../model/listing.js').Entry | null} root
 * @param {string} path
 */
async function resolveFolder(session, root, path) {
  let folder = root;
  for (const part of path.split('/').filter((p) => p !== '')) {
    const found = (await openFolder(session, folder)).find((e) => e.name === part);
    if (!found || found.kind !== 'folder') throw new Error(`${path}: no folder ${part} there`);
    folder = found;
  }
  return folder;
}
