// A file's versions, newest first, each restorable (the model commits the old chunks as a new
// version; nothing is uploaded again).
import { listVersions, restoreVersion } from '../model/index.js';
import { setStatus } from './context.js';
import { openDialog } from './dialog.js';
import { describeError, formatBytes, formatDate, h, replace } from './dom.js';

/**
 * @param {import('../model/session.js').Session} session
 * @param {import('../model/listing.js').Entry} entry
 */
export async function versionsDialog(session, entry) {
  const body = h('div', { className: 'versions' }, h('p', { className: 'hint' }, 'Loading the versions…'));
  const error = h('p', { className: 'error', role: 'alert' });
  /** @type {HTMLDialogElement | null} */
  let dialog = null;
  const shown = openDialog(`Versions of ${entry.name}`, [body, error], { ok: 'Close', cancel: null, onOpen: (d) => { dialog = d; } });
  try {
    const versions = (await listVersions(session, entry)).slice().reverse();
    const rows = versions.map((v) => h('tr', {},
      h('td', {}, `#${v.version}`),
      h('td', {}, formatDate(v.createdAt)),
      h('td', { className: 'num' }, v.size === null ? (v.error ?? 'does not open') : formatBytes(v.size)),
      h('td', {}, v.current ? h('span', { className: 'hint' }, 'current') : h('button', {
        type: 'button', className: 'secondary', 'aria-label': `Restore version ${v.version}`,
        onclick: async () => {
          try {
            await restoreVersion(session, entry, v.version);
            setStatus(`Version ${v.version} of ${entry.name} restored as the current one.`);
            /** @type {HTMLDialogElement | null} */ (dialog)?.close();
          } catch (e) {
            error.textContent = describeError(e);
          }
        },
      }, 'Restore'))));
    replace(body, h('table', { className: 'listing' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Version'), h('th', { scope: 'col' }, 'Saved'), h('th', { scope: 'col', className: 'num' }, 'Size'), h('th', { scope: 'col' }, ''))),
      h('tbody', {}, ...rows)));
  } catch (e) {
    replace(body);
    error.textContent = describeError(e);
  }
  await shown;
}
