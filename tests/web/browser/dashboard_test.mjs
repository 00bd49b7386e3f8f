// Drives the dashboard in Debian's Chromium (playwright-core, headless) against the cofferd and
// mount that test_dashboard.py set up, and checks what the browser did against the mount: the
// items of issue 18's list 6. Each step prints "ok - ..." or fails the run with a screenshot
// of the page in $COFFER_SCRATCH. Never sleeps to synchronise: it waits for what the page shows,
// for downloads, or polls the mount with a deadline.
import '../webcrypto.mjs';
import { createHash, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventually } from '../eventually.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const webRoot = path.resolve(here, '../../../web');
const { chromium } = await import(path.join(webRoot, 'node_modules/playwright-core/index.mjs'));

const env = (/** @type {string} */ name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run test_dashboard.py)`);
  return value;
};
const url = env('COFFER_URL');
const user = env('COFFER_USER');
const password = env('COFFER_PASSWORD');
const mount = env('COFFER_MOUNT');
const scratch = env('COFFER_SCRATCH');
const shots = process.env.COFFER_SCREENSHOT_DIR || null;
const MiB = 1024 * 1024;

const sha256 = (/** @type {Buffer | Uint8Array} */ data) => createHash('sha256').update(data).digest('hex');
const sha256File = (/** @type {string} */ file) => sha256(fs.readFileSync(file));

function coffer(...args) {
  return execFileSync(env('COFFER_COFFER'), ['--profile', env('COFFER_PROFILE'), ...args], { encoding: 'utf8', timeout: 600_000 });
}

const mountHas = (/** @type {string} */ rel, /** @type {string} */ hash) => eventually(`${rel} on the mount`, () => {
  const file = path.join(mount, rel);
  return fs.existsSync(file) && sha256File(file) === hash;
}, 120);

const launchArgs = process.getuid && process.getuid() === 0 ? ['--no-sandbox'] : [];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: launchArgs });
let failures = 0;
let current = null;

async function step(name, body) {
  const started = Date.now();
  try {
    await body();
    console.log(`ok - ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failures++;
    console.log(`not ok - ${name}: ${error.stack ?? error}`);
    if (current) {
      const file = path.join(scratch, `failure-${failures}.png`);
      await current.screenshot({ path: file, fullPage: true }).catch(() => null);
      console.log(`  page: ${current.url()}, screenshot ${file}`);
      const text = await current.locator('body').innerText().catch(() => '');
      console.log(`  text: ${text.slice(0, 1500).replace(/\n/g, ' | ')}`);
    }
    throw error;
  }
}

async function shot(page, name) {
  if (!shots) return;
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `dashboard-${name}.png`), fullPage: false });
}

/** A context that downloads through the service worker (no File System Access picker). */
async function newContext(options = {}) {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1200, height: 800 }, ...options });
  await context.addInitScript(() => { delete window.showSaveFilePicker; });
  if (process.env.COFFER_WEB_ROOT_SERVED !== '1') {
    // cofferd without --web-root: the pages come from the working copy, the API from cofferd.
    await context.route((u) => !u.pathname.startsWith('/v1/') && !u.pathname.startsWith('/__coffer_download__/'), async (route) => {
      const { pathname } = new URL(route.request().url());
      const rel = pathname === '/' ? 'index.html' : pathname.startsWith('/l/') ? 'link.html' : pathname.slice(1);
      const file = path.join(webRoot, rel);
      if (!file.startsWith(webRoot) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
      const type = rel.endsWith('.js') ? 'text/javascript' : rel.endsWith('.css') ? 'text/css' : rel.endsWith('.svg') ? 'image/svg+xml' : 'text/html; charset=utf-8';
      return route.fulfill({ status: 200, body: fs.readFileSync(file), headers: { 'Content-Type': type, 'Content-Security-Policy': "default-src 'self'" } });
    });
  }
  return context;
}

/** Clicks what starts a download and saves it; returns the saved file's path. */
async function download(page, click, name) {
  const [event] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), click()]);
  const failure = await event.failure();
  if (failure) throw new Error(`the download failed: ${failure}`);
  const file = path.join(scratch, `downloaded-${name}`);
  await event.saveAs(file);
  return file;
}

async function actionOn(page, name, action) {
  await page.getByRole('button', { name: `Actions for ${name}`, exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: action, exact: true }).click();
}

async function openMyFiles(page) {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'My files' }).click();
  await page.getByRole('heading', { level: 1, name: 'My files' }).waitFor();
  await page.locator('table.listing, p.empty').first().waitFor();
}

const errors = [];
const context = await newContext();
const page = await context.newPage();
current = page;
page.on('pageerror', (error) => errors.push(error.message));
page.on('console', (message) => { if (message.type() === 'error') errors.push(message.text()); });

try {
  await step('log in with the keyboard alone', async () => {
    await page.goto(url + '/');
    await page.getByRole('heading', { name: 'Log in to Coffer' }).waitFor();
    await page.locator('#login-submit:enabled').waitFor(); // enabled once the module runs
    await shot(page, 'login');
    await page.keyboard.type(user); // the user field has focus on arrival
    await page.keyboard.press('Tab');
    await page.keyboard.type('wrong password');
    await page.keyboard.press('Enter');
    await page.getByText('Wrong user name or password.').waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+A');
    await page.keyboard.type(password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'My files' }).waitFor({ timeout: 60_000 });
  });

  const big = path.join(scratch, 'big.bin');
  const bigData = randomBytes(50 * MiB + 12345);
  fs.writeFileSync(big, bigData);
  const bigHash = sha256(bigData);
  await step('upload a 50 MiB file by the picker, byte-exact on the mount', async () => {
    await page.locator('#upload-files').setInputFiles(big);
    await page.locator('.transfer .progress-text').first().waitFor();
    await shot(page, 'upload');
    await page.getByText('Uploaded 1 file.').waitFor({ timeout: 300_000 });
    await page.locator('tr[data-name="big.bin"]').waitFor();
    console.log(`  ${await page.locator('.transfer .progress-text').first().innerText()}`);
    await mountHas('big.bin', bigHash);
  });

  const album = path.join(scratch, 'album');
  fs.mkdirSync(path.join(album, 'inner'), { recursive: true });
  const albumFiles = { 'one.txt': Buffer.from('first file\n'), 'inner/two.bin': randomBytes(3 * MiB + 7), 'inner/ünïcode name.txt': Buffer.from('names are UTF-8\n') };
  for (const [rel, data] of Object.entries(albumFiles)) fs.writeFileSync(path.join(album, rel), data);
  await step('upload a folder, byte-exact on the mount', async () => {
    await page.locator('#upload-folder').setInputFiles(album);
    await page.getByText('Uploaded 3 files.').waitFor({ timeout: 120_000 });
    await page.locator('tr[data-name="album"]').waitFor();
    for (const [rel, data] of Object.entries(albumFiles)) await mountHas(path.join('album', rel), sha256(data));
  });

  await step('upload by drag and drop', async () => {
    await page.evaluate(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new TextEncoder().encode('dropped on the page\n')], 'dropped.txt'));
      const zone = document.querySelector('.dropzone');
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    });
    await page.locator('tr[data-name="dropped.txt"]').waitFor({ timeout: 60_000 });
    await mountHas('dropped.txt', sha256(Buffer.from('dropped on the page\n')));
  });

  await step('the actions dialog by keyboard: Enter opens, focus inside, Escape closes and returns focus', async () => {
    const opener = page.getByRole('button', { name: 'Actions for dropped.txt', exact: true });
    await opener.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    const inside = await page.evaluate(() => document.activeElement?.closest('dialog') !== null);
    if (!inside) throw new Error('focus did not move into the dialog');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    const back = await page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    if (back !== 'Actions for dropped.txt') throw new Error(`focus went to ${back}, not back to the opener`);
  });

  await step('navigate into folders and back by the breadcrumbs', async () => {
    await page.getByRole('button', { name: 'album', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'album' }).waitFor();
    await page.getByRole('button', { name: 'inner', exact: true }).click();
    await page.locator('tr[data-name="ünïcode name.txt"]').waitFor();
    await page.getByRole('navigation', { name: 'Folder path' }).getByRole('button', { name: 'album' }).click();
    await page.locator('tr[data-name="one.txt"]').waitFor();
    await page.getByRole('navigation', { name: 'Folder path' }).getByRole('button', { name: 'My files' }).click();
    await page.locator('tr[data-name="big.bin"]').waitFor();
  });

  const fromMount = randomBytes(5 * MiB + 333);
  await step('download a file written through the mount, hashes equal', async () => {
    fs.writeFileSync(path.join(mount, 'from-mount.bin'), fromMount);
    coffer('sync', '--timeout', '300');
    await openMyFiles(page);
    await page.locator('tr[data-name="from-mount.bin"]').waitFor();
    await shot(page, 'files');
    const file = await download(page, () => page.getByRole('button', { name: 'from-mount.bin', exact: true }).click(), 'from-mount.bin');
    if (sha256File(file) !== sha256(fromMount)) throw new Error('the downloaded file differs from what the mount wrote');
    await page.getByText('Downloaded from-mount.bin.').waitFor();
  });

  await step('new folder, rename and move, seen on the mount', async () => {
    await page.getByRole('button', { name: 'New folder' }).click();
    await page.getByRole('dialog').getByRole('textbox').fill('Reports');
    await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
    await page.locator('tr[data-name="Reports"]').waitFor();
    await actionOn(page, 'from-mount.bin', 'Rename');
    await page.getByRole('dialog').getByRole('textbox').fill('renamed.bin');
    await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
    await page.locator('tr[data-name="renamed.bin"]').waitFor();
    await eventually('renamed.bin on the mount', () => fs.existsSync(path.join(mount, 'renamed.bin')) && !fs.existsSync(path.join(mount, 'from-mount.bin')));
    await actionOn(page, 'renamed.bin', 'Move');
    await page.getByRole('dialog').getByRole('textbox').fill('/Reports');
    await page.getByRole('dialog').getByRole('button', { name: 'Move' }).click();
    await page.getByText('Moved renamed.bin to /Reports.').waitFor();
    await mountHas('Reports/renamed.bin', sha256(fromMount));
  });

  await step('delete to the trash and restore from it', async () => {
    await actionOn(page, 'big.bin', 'Move to trash');
    await page.getByRole('dialog').getByRole('button', { name: 'Move to trash' }).click();
    await page.getByText('big.bin moved to the trash.').waitFor();
    await eventually('big.bin gone from the mount', () => !fs.existsSync(path.join(mount, 'big.bin')));
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Trash' }).click();
    await page.locator('tr[data-name="big.bin"]').waitFor();
    await shot(page, 'trash');
    await page.getByRole('button', { name: 'Restore big.bin' }).click();
    await page.getByText(/big\.bin restored/).waitFor();
    await mountHas('big.bin', bigHash);
    await openMyFiles(page);
    await page.locator('tr[data-name="big.bin"]').waitFor();
  });

  await step('restore an old version', async () => {
    const doc = path.join(mount, 'notes.txt');
    fs.writeFileSync(doc, 'the first version\n');
    coffer('sync', '--timeout', '300');
    fs.writeFileSync(doc, 'the second version, longer\n');
    coffer('sync', '--timeout', '300');
    await openMyFiles(page);
    await page.locator('tr[data-name="notes.txt"]').waitFor();
    await actionOn(page, 'notes.txt', 'Versions');
    const restore = page.getByRole('dialog').getByRole('button', { name: /^Restore version / });
    await restore.first().waitFor();
    await shot(page, 'versions');
    await restore.first().click();
    await page.getByText(/restored as the current one/).waitFor();
    await eventually('the first version back on the mount', () => fs.readFileSync(doc, 'utf8') === 'the first version\n', 120);
  });

  await step('account: usage against the quota, sessions, one revoked', async () => {
    const { ApiClient } = await import(path.join(webRoot, 'js/api/client.js'));
    const model = await import(path.join(webRoot, 'js/model/index.js'));
    const other = await model.login(new ApiClient(url), user, password, { device: 'other laptop' });
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Account' }).click();
    await page.getByText(/ of 2\.0 GiB used/).waitFor();
    await page.getByText('this browser').waitFor();
    await shot(page, 'account');
    await page.getByRole('button', { name: 'Revoke the session other laptop', exact: true }).click();
    await page.getByText('Session other laptop revoked.').waitFor();
    await page.getByRole('button', { name: 'Revoke the session other laptop', exact: true }).waitFor({ state: 'detached' });
    const status = await model.usage(other).then(() => 200, (error) => error.status);
    if (status !== 401) throw new Error(`the revoked session still answers (${status})`);
  });

  await step('account: a user\'s fingerprint shown; trusting a key needs its fingerprint', async () => {
    const { ApiClient } = await import(path.join(webRoot, 'js/api/client.js'));
    const model = await import(path.join(webRoot, 'js/model/index.js'));
    const { keyFingerprint } = await import(path.join(webRoot, 'js/crypto/fingerprint.js'));
    const bob = await model.login(new ApiClient(url), env('COFFER_USER2'), env('COFFER_PASSWORD2'), { device: 'browser test' });
    const expected = await keyFingerprint(bob.identity.publicKey);
    await model.logout(bob);
    const people = page.getByRole('region', { name: 'People' });
    await people.getByLabel('User name').fill(env('COFFER_USER2'));
    await people.getByRole('button', { name: 'Show fingerprint' }).click();
    const shown = await page.locator('#people-fingerprint').innerText();
    if (shown !== expected) throw new Error(`the fingerprint shown (${shown}) is not bob's (${expected})`);
    await people.getByLabel('Fingerprint they read to you').fill('0000 0000 0000 0000 0000 0000 0000 0000');
    await people.getByRole('button', { name: 'Trust their key' }).click();
    await people.getByRole('alert').filter({ hasText: 'nothing changed' }).waitFor();
    await people.getByLabel('Fingerprint they read to you').fill(expected.toUpperCase());
    await people.getByRole('button', { name: 'Trust their key' }).click();
    const trusted = await page.locator('#people-trusted').innerText();
    if (!trusted.includes(expected)) throw new Error(`trusting bob's key said: ${trusted}`);
  });

  await step('a tampered chunk is shown as an error, never as data', async () => {
    const blobs = path.join(env('COFFER_DATA'), 'blobs');
    const list = (dir) => fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, String(f))).filter((f) => fs.statSync(f).isFile());
    const before = new Set(list(blobs));
    fs.writeFileSync(path.join(mount, 'tampered.bin'), randomBytes(2 * MiB + 5));
    coffer('sync', '--timeout', '300');
    const added = list(blobs).filter((f) => !before.has(f));
    if (added.length === 0) throw new Error('no new blob file found for tampered.bin');
    for (const file of added) {
      const data = fs.readFileSync(file);
      data[Math.floor(data.length / 2)] ^= 0x01;
      fs.writeFileSync(file, data);
    }
    await openMyFiles(page);
    await page.locator('tr[data-name="tampered.bin"]').waitFor();
    const [event] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }).catch(() => null),
      page.getByRole('button', { name: 'tampered.bin', exact: true }).click(),
    ]);
    await page.getByRole('alert').filter({ hasText: /integrity|Integrity|failed/ }).first().waitFor({ timeout: 60_000 });
    if (event) {
      const failure = await event.failure();
      if (!failure) throw new Error('the tampered file downloaded completely');
    }
    console.log(`  shown: ${await page.locator('#error').innerText()}`);
  });

  await step('share a folder with a user, showing their fingerprint; they find it in Shared with me', async () => {
    const { ApiClient } = await import(path.join(webRoot, 'js/api/client.js'));
    const model = await import(path.join(webRoot, 'js/model/index.js'));
    const bob = await model.login(new ApiClient(url), env('COFFER_USER2'), env('COFFER_PASSWORD2'), { device: 'browser test' });
    const { keyFingerprint } = await import(path.join(webRoot, 'js/crypto/fingerprint.js'));
    const expected = await keyFingerprint(bob.identity.publicKey);
    await model.logout(bob);
    await openMyFiles(page);
    await actionOn(page, 'album', 'Share with a user');
    await page.getByRole('dialog').getByRole('textbox').fill(env('COFFER_USER2'));
    await page.getByRole('dialog').getByRole('button', { name: 'Next' }).click();
    const shown = await page.locator('#share-fingerprint').innerText();
    if (shown !== expected) throw new Error(`the fingerprint shown (${shown}) is not bob's (${expected})`);
    await shot(page, 'share');
    await page.getByRole('dialog').getByRole('button', { name: 'Share' }).click();
    await page.getByText(/album is shared with bob/).waitFor();
    const other = await newContext();
    const bobPage = await other.newPage();
    current = bobPage;
    await bobPage.goto(url + '/');
    await bobPage.locator('#login-user').fill(env('COFFER_USER2'));
    await bobPage.locator('#login-password').fill(env('COFFER_PASSWORD2'));
    await bobPage.locator('#login-submit').click();
    await bobPage.getByRole('heading', { level: 1, name: 'My files' }).waitFor({ timeout: 60_000 });
    await bobPage.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Shared with me' }).click();
    const alice = await model.login(new ApiClient(url), user, password, { device: 'browser test' });
    const aliceFingerprint = await keyFingerprint(alice.identity.publicKey);
    await model.logout(alice);
    const sharer = await bobPage.locator('tr[data-name="album"] .fingerprint-small').innerText();
    if (sharer !== aliceFingerprint) throw new Error(`Shared with me shows ${sharer}, not alice's fingerprint ${aliceFingerprint}`);
    await bobPage.getByRole('button', { name: 'album', exact: true }).click();
    await bobPage.locator('tr[data-name="one.txt"]').waitFor();
    await shot(bobPage, 'shared');
    const file = await download(bobPage, () => bobPage.getByRole('button', { name: 'one.txt', exact: true }).click(), 'bob-one.txt');
    if (sha256File(file) !== sha256(albumFiles['one.txt'])) throw new Error('bob downloaded other bytes');
    await other.close();
    current = page;
  });

  await step('phone width (360 px): the list and the actions fit', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await openMyFiles(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 360) throw new Error(`the page is ${width} px wide at 360`);
    await shot(page, 'phone');
    await page.setViewportSize({ width: 1200, height: 800 });
  });

  await linkSteps(bigHash, albumFiles);

  await step('log out: the keys leave the page and the session ends on the server', async () => {
    const sessions = async () => {
      const { ApiClient } = await import(path.join(webRoot, 'js/api/client.js'));
      const model = await import(path.join(webRoot, 'js/model/index.js'));
      const probe = await model.login(new ApiClient(url), user, password, { device: 'probe' });
      const list = await model.listSessions(probe);
      await model.logout(probe);
      return list.filter((s) => s.device.startsWith('web')).length;
    };
    const before = await sessions();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Coffer' }).waitFor();
    if (await page.locator('#login-password').inputValue() !== '') throw new Error('the password field kept its value');
    if (await page.locator('table.listing').count()) throw new Error('the file list is still in the page');
    await eventually('the web session ended', async () => (await sessions()) === before - 1, 30);
  });
} catch {
  // reported by step()
} finally {
  await browser.close();
}

async function linkSteps(bigHash, albumFiles) {
  const openLinkPage = async (link) => {
    const fresh = await newContext();
    const linkPage = await fresh.newPage();
    current = linkPage;
    await linkPage.goto(link);
    return { fresh, linkPage };
  };
  const makeLink = async (name, options) => {
    await openMyFiles(page);
    await actionOn(page, name, 'Create a link');
    if (options.password) await page.locator('#link-password').fill(options.password);
    if (options.max) await page.locator('#link-max').fill(String(options.max));
    await page.getByRole('dialog').getByRole('button', { name: 'Create link' }).click();
    const link = await page.locator('#link-url').inputValue();
    if (options.shot) await shot(page, 'link-created');
    await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    return link;
  };

  await step('a link without password, opened in a fresh context, downloads the file', async () => {
    const link = await makeLink('big.bin', { shot: true });
    const { fresh, linkPage } = await openLinkPage(link);
    await linkPage.getByRole('button', { name: 'Download' }).waitFor({ timeout: 60_000 });
    await shot(linkPage, 'link');
    const file = await download(linkPage, () => linkPage.getByRole('button', { name: 'Download' }).click(), 'link-big.bin');
    if (sha256File(file) !== bigHash) throw new Error('the link downloaded other bytes');
    await fresh.close();
    current = page;
  });

  await step('a folder link browses read-only', async () => {
    const link = await makeLink('album', {});
    const { fresh, linkPage } = await openLinkPage(link);
    await linkPage.locator('tr[data-name="one.txt"]').waitFor({ timeout: 60_000 });
    await linkPage.getByRole('button', { name: /inner/ }).click();
    const file = await download(linkPage, () => linkPage.getByRole('button', { name: 'Download two.bin' }).click(), 'link-two.bin');
    if (sha256File(file) !== sha256(albumFiles['inner/two.bin'])) throw new Error('the folder link downloaded other bytes');
    if (await linkPage.getByRole('button', { name: /Upload|New folder|Rename|trash/ }).count()) throw new Error('the link page offers a change');
    await fresh.close();
    current = page;
  });

  await step('a link with a password: wrong password refused, right one opens', async () => {
    const link = await makeLink('Reports', { password: 'link secret' });
    const { fresh, linkPage } = await openLinkPage(link);
    await linkPage.locator('#link-password').fill('not it');
    await linkPage.getByRole('button', { name: 'Open' }).click();
    await linkPage.getByText(/Wrong password/).waitFor({ timeout: 60_000 });
    await shot(linkPage, 'link-password');
    await linkPage.locator('#link-password').fill('link secret');
    await linkPage.getByRole('button', { name: 'Open' }).click();
    await linkPage.locator('tr[data-name="renamed.bin"]').waitFor({ timeout: 60_000 });
    await fresh.close();
    current = page;
  });

  await step('an expired link and a revoked link are errors', async () => {
    const { ApiClient } = await import(path.join(webRoot, 'js/api/client.js'));
    const model = await import(path.join(webRoot, 'js/model/index.js'));
    const api = new ApiClient(url);
    const session = await model.login(api, user, password, { device: 'browser test' });
    const entry = (await model.openFolder(session, null)).find((e) => e.name === 'notes.txt');
    const made = await model.createLink(session, entry, { expiresAt: Math.floor(Date.now() / 1000) + 2, maxDownloads: null, password: null });
    const link = typeof made === 'string' ? made : made.url;
    const linkId = new URL(link).pathname.split('/').pop();
    await eventually('the link expired', async () => {
      try {
        await model.linkInfo(api, linkId);
        return false;
      } catch (error) {
        return error.status === 410;
      }
    }, 30);
    const { fresh, linkPage } = await openLinkPage(link);
    await linkPage.getByText('This link has expired or its downloads are used up.').waitFor({ timeout: 30_000 });
    await shot(linkPage, 'link-expired');
    await fresh.close();
    current = page;

    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Links' }).click();
    await page.getByRole('button', { name: /^Revoke the link to / }).first().waitFor();
    await shot(page, 'links');
    const revoked = await makeLink('notes.txt', {});
    await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Links' }).click();
    const revokeButton = page.getByRole('button', { name: 'Revoke the link to /notes.txt', exact: true });
    await revokeButton.waitFor();
    const before = await page.getByRole('button', { name: /^Revoke the link to / }).count();
    await revokeButton.click();
    await page.getByText(/is revoked/).waitFor();
    await eventually('the revoked link gone from the list', async () => (await revokeButton.count()) === 0
      && (await page.getByRole('button', { name: /^Revoke the link to / }).count()) === before - 1, 30);
    const opened = await openLinkPage(revoked);
    await opened.linkPage.getByText('This link does not exist or was revoked by its owner.').waitFor({ timeout: 30_000 });
    await opened.fresh.close();
    current = page;
    await model.logout(session);
  });
}

if (errors.length) console.log(`page errors seen:\n  ${errors.join('\n  ')}`);
console.log(failures ? `FAILED (${failures})` : 'all steps passed');
process.exit(failures ? 1 : 0);
