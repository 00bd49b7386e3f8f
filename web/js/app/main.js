// The dashboard's entry point: the login form, then the views behind the navigation. The
// session (keys included) lives only in this page's memory: a reload asks for the password
// again, and logging out wipes the keys.
import { ApiClient } from '../api/client.js';
import { login, logout } from '../model/index.js';
import { showAccount } from './account_view.js';
import { clearMessages } from './context.js';
import { byId, describeError } from './dom.js';
import { serviceWorker } from './download.js';
import { showFiles } from './files_view.js';
import { browserKnownKeys } from './known_keys.js';
import { showLinks } from './links_view.js';
import { showShared } from './shared_view.js';
import { showTrash } from './trash_view.js';

const api = new ApiClient('');
/** @type {import('./context.js').Context | null} */
let ctx = null;

/** How this browser appears in the account's sessions: "web dashboard (Linux x86_64)". */
function deviceName() {
  const platform = navigator.platform || 'browser';
  return `web dashboard (${platform})`;
}

/** @param {string} name */
function show(name) {
  if (!ctx) return;
  clearMessages();
  const view = byId('view');
  for (const button of Array.from(byId('nav').querySelectorAll('button'))) {
    if (button.dataset.view === name) button.setAttribute('aria-current', 'page');
    else button.removeAttribute('aria-current');
  }
  const shown = name === 'shared' ? showShared(ctx, view)
    : name === 'trash' ? showTrash(ctx, view)
      : name === 'links' ? showLinks(ctx, view)
        : name === 'account' ? showAccount(ctx, view)
          : showFiles(ctx, view, { rootLabel: 'My files', root: null, path: [], writable: true, owned: true });
  shown.finally(() => {
    const heading = /** @type {HTMLElement | null} */ (view.querySelector('h1'));
    if (heading && !view.contains(document.activeElement)) heading.focus();
  });
}

function loggedOut() {
  ctx = null;
  byId('app-view').hidden = true;
  byId('nav').hidden = true;
  byId('logout').hidden = true;
  byId('who').textContent = '';
  byId('view').replaceChildren();
  byId('transfers').replaceChildren();
  byId('transfers-box').hidden = true;
  byId('login-view').hidden = false;
  /** @type {HTMLInputElement} */ (byId('login-password')).value = '';
  byId('login-user').focus();
}

async function doLogout() {
  const session = ctx?.session;
  loggedOut();
  if (session) await logout(session).catch(() => null);
}

byId('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const user = /** @type {HTMLInputElement} */ (byId('login-user')).value.trim();
  const passwordField = /** @type {HTMLInputElement} */ (byId('login-password'));
  const submit = /** @type {HTMLButtonElement} */ (byId('login-submit'));
  const progress = /** @type {HTMLProgressElement} */ (byId('login-progress'));
  const error = byId('login-error');
  error.textContent = '';
  submit.disabled = true;
  progress.hidden = false;
  progress.value = 0;
  try {
    const session = await login(api, user, passwordField.value,
      { device: deviceName(), knownKeys: browserKnownKeys(user), onProgress: (f) => { progress.value = f; } });
    passwordField.value = '';
    ctx = { session, show, logout: () => { doLogout(); } };
    byId('login-view').hidden = true;
    byId('app-view').hidden = false;
    byId('nav').hidden = false;
    byId('logout').hidden = false;
    byId('who').textContent = `Logged in as ${session.user}`;
    serviceWorker();
    show('files');
  } catch (e) {
    error.textContent = /** @type {any} */ (e)?.status === 401 ? 'Wrong user name or password.' : describeError(e);
    passwordField.focus();
  } finally {
    submit.disabled = false;
    progress.hidden = true;
  }
});

for (const button of Array.from(byId('nav').querySelectorAll('button'))) {
  button.addEventListener('click', () => show(button.dataset.view ?? 'files'));
}
byId('logout').addEventListener('click', () => { doLogout(); });
loggedOut();
// Enabled only now: before this module ran, a submit would have been the browser's own GET,
// with the password in the address (implicit submission stops at a disabled default button).
/** @type {HTMLButtonElement} */ (byId('login-submit')).disabled = false;
