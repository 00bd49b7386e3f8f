// The link page (/l/ID#SECRET): someone without an account opens a file or a folder shared by
// link. The secret after # is never sent to the server; the model opens the link's sealed key
// with it (and the password, when the link has one) and this page decrypts in the browser,
// read-only. Expired, used-up, revoked, wrong-password and tampered links are shown as errors.
import { ApiClient } from '../api/client.js';
import { linkInfo, openFolder, openLink, startLinkOpening } from '../model/index.js';
import { byId, describeError, formatBytes, formatDate, h, replace } from '../app/dom.js';
import { downloadEntry } from '../app/download_action.js';
import { serviceWorker } from '../app/download.js';

const api = new ApiClient('');
const status = byId('link-status');
const errorLine = byId('link-error');
const view = byId('link-view');

/** @param {string} message */
function fail(message) {
  status.textContent = '';
  errorLine.textContent = message;
}

function transfers() {
  byId('transfers-box').hidden = false;
  return byId('transfers');
}

/**
 * What an error of linkInfo or openLink means to the person holding the link.
 * @param {unknown} error
 * @param {boolean} withPassword
 */
function linkError(error, withPassword) {
  const e = /** @type {any} */ (error);
  if (e?.status === 404) return 'This link does not exist or was revoked by its owner.';
  if (e?.status === 410) return 'This link has expired or its downloads are used up.';
  if (e?.status === 429) return 'Too many attempts: wait a moment and try again.';
  if (e?.code === 'integrity' || e?.code === 'invalid_token') {
    return withPassword ? 'Wrong password (or the link was altered).' : 'This link is damaged: its key does not open what the server holds (the address was altered, or the data was tampered with).';
  }
  return describeError(error);
}

/** @param {any} session */
function linkedEntry(session) {
  return session.entry ?? session.linkEntry ?? session.root ?? null;
}

/**
 * @param {any} session
 * @param {any} entry
 */
async function download(session, entry) {
  errorLine.textContent = '';
  try {
    if (await downloadEntry(session, entry, transfers())) status.textContent = `Downloaded ${entry.name}.`;
  } catch (error) {
    fail(`The download of ${entry.name} failed: ${describeError(error)}`);
  }
}

/**
 * @param {any} session
 * @param {any} entry
 */
function showFile(session, entry) {
  // A link carries no name (only its creator can read the label), so the person saving names it.
  const name = /** @type {HTMLInputElement} */ (h('input', { id: 'link-save-as', value: entry.name, autocomplete: 'off', required: true }));
  replace(view, h('p', {}, `${formatBytes(entry.size)} · modified ${formatDate(entry.mtime)} · shared by ${session.user}`),
    h('div', { className: 'inline' },
      h('label', {}, 'Save as', name),
      h('button', { type: 'button', id: 'link-download', onclick: () => download(session, { ...entry, name: name.value.trim() || entry.name }) }, 'Download')));
}

/**
 * @param {any} session
 * @param {any} root
 * @param {any[]} path
 */
async function showFolder(session, root, path) {
  const folder = path.length ? path[path.length - 1] : null;
  const crumbs = h('ol');
  const names = [root?.name ?? 'Shared folder', ...path.map((e) => e.name)];
  names.forEach((name, i) => {
    crumbs.append(h('li', {}, i === names.length - 1
      ? h('span', { 'aria-current': 'page' }, name)
      : h('button', { type: 'button', className: 'link', onclick: () => showFolder(session, root, path.slice(0, i)) }, name)));
  });
  const box = h('div', {}, h('p', { className: 'hint' }, 'Decrypting…'));
  replace(view, h('nav', { className: 'crumbs', 'aria-label': 'Folder path' }, crumbs), h('p', { className: 'hint' }, `Shared by ${session.user}, read-only.`), box);
  /** @type {any[]} */
  let entries;
  try {
    entries = await openFolder(session, folder);
  } catch (error) {
    replace(box);
    fail(linkError(error, false));
    return;
  }
  if (entries.length === 0) {
    replace(box, h('p', { className: 'empty' }, 'This folder is empty.'));
    return;
  }
  entries.sort((a, b) => (a.kind === 'folder' ? 0 : 1) - (b.kind === 'folder' ? 0 : 1) || (a.name < b.name ? -1 : 1));
  replace(box, h('table', { className: 'listing' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col', className: 'num' }, 'Size'), h('th', { scope: 'col', className: 'num wide' }, 'Modified'))),
    h('tbody', {}, ...entries.map((entry) => h('tr', { 'data-name': entry.name },
      h('td', {}, entry.kind === 'folder'
        ? h('button', { type: 'button', className: 'link', onclick: () => showFolder(session, root, [...path, entry]) }, h('span', { className: 'kind kind-folder', role: 'img', 'aria-label': 'folder' }), ' ', entry.name)
        : entry.kind === 'file'
          ? h('button', { type: 'button', className: 'link', 'aria-label': `Download ${entry.name}`, onclick: () => download(session, entry) }, h('span', { className: 'kind kind-file', role: 'img', 'aria-label': 'file' }), ' ', entry.name)
          : entry.name),
      h('td', { className: 'num' }, entry.kind === 'file' ? formatBytes(entry.size) : ''),
      h('td', { className: 'num wide' }, formatDate(entry.mtime)))))));
}

/** The server's answer to this page's one opening of the link: kept across password attempts. */
let opening = null;

/**
 * @param {string} linkId
 * @param {string} secret
 * @param {string | undefined} password
 * @param {any} info
 */
async function open(linkId, secret, password, info) {
  status.textContent = password ? 'Deriving the key from the password…' : 'Opening…';
  errorLine.textContent = '';
  // One opening (one download counted) serves every password attempt on this page.
  opening ??= await startLinkOpening(api, linkId);
  const session = await openLink(api, linkId, secret, password ?? null, opening);
  byId('link-password-form').hidden = true;
  status.textContent = '';
  const entry = linkedEntry(session);
  const kind = entry?.kind ?? info.kind;
  byId('link-title').textContent = kind === 'folder' ? 'A folder shared with you' : 'A file shared with you';
  if (kind === 'folder') await showFolder(session, entry, []);
  else if (entry) showFile(session, entry);
  else fail('The link opened, but the file it names could not be read.');
}

async function start() {
  const match = /^\/l\/([A-Za-z0-9_=-]+)$/.exec(location.pathname);
  const secret = location.hash.slice(1);
  if (!match || !secret) {
    fail('This link is incomplete: the part after # (its key) is missing. Copy the whole link.');
    return;
  }
  const linkId = match[1];
  serviceWorker();
  let info;
  try {
    info = await linkInfo(api, linkId);
  } catch (error) {
    fail(linkError(error, false));
    return;
  }
  const expires = info.expires_at ?? info.expiresAt;
  status.textContent = `Shared by ${info.owner}${expires ? `, until ${formatDate(new Date(Number(expires) * 1000))}` : ''}.`;
  if (!info.password) {
    await open(linkId, secret, undefined, info).catch((error) => fail(linkError(error, false)));
    return;
  }
  const form = byId('link-password-form');
  const field = /** @type {HTMLInputElement} */ (byId('link-password'));
  const submit = /** @type {HTMLButtonElement} */ (byId('link-password-submit'));
  form.hidden = false;
  // Enabled only now: a native submit would put the password in the address.
  submit.disabled = false;
  field.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      await open(linkId, secret, field.value, info);
      field.value = '';
    } catch (error) {
      fail(linkError(error, true));
      field.select();
    } finally {
      submit.disabled = false;
    }
  });
}

start();
