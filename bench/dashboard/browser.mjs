// bench/dashboard's browser half: logs in, uploads $COFFER_FILE by the picker, downloads it back
// through the service worker, and prints {"upload": s, "download": s, "sha256": hex} as the
// last line. Timing starts at the action and ends at what the page or the download reports.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web');
const { chromium } = await import(path.join(webRoot, 'node_modules/playwright-core/index.mjs'));
const { COFFER_URL: url, COFFER_USER: user, COFFER_PASSWORD: password, COFFER_FILE: file, COFFER_SCRATCH: scratch } = process.env;

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: process.getuid() === 0 ? ['--no-sandbox'] : [] });
const context = await browser.newContext({ acceptDownloads: true });
await context.addInitScript(() => { delete window.showSaveFilePicker; });
if (process.env.COFFER_WEB_ROOT_SERVED !== '1') {
  await context.route((u) => !u.pathname.startsWith('/v1/') && !u.pathname.startsWith('/__coffer_download__/'), async (route) => {
    const { pathname } = new URL(route.request().url());
    const rel = pathname === '/' ? 'index.html' : pathname.slice(1);
    const type = rel.endsWith('.js') ? 'text/javascript' : rel.endsWith('.css') ? 'text/css' : rel.endsWith('.svg') ? 'image/svg+xml' : 'text/html';
    try {
      await route.fulfill({ status: 200, body: fs.readFileSync(path.join(webRoot, rel)), headers: { 'Content-Type': type } });
    } catch {
      await route.fulfill({ status: 404, body: '' });
    }
  });
}
const page = await context.newPage();
await page.goto(url + '/');
await page.locator('#login-user').fill(user);
await page.locator('#login-password').fill(password);
await page.locator('#login-submit').click();
await page.getByRole('heading', { level: 1, name: 'My files' }).waitFor({ timeout: 60_000 });
const name = path.basename(file);

let start = performance.now();
await page.locator('#upload-files').setInputFiles(file);
await page.getByText('Uploaded 1 file.').waitFor({ timeout: 3_600_000 });
const upload = (performance.now() - start) / 1000;
await page.locator(`tr[data-name="${name}"]`).waitFor();

start = performance.now();
const [download] = await Promise.all([page.waitForEvent('download', { timeout: 3_600_000 }), page.getByRole('button', { name, exact: true }).click()]);
const saved = await download.path();
const seconds = (performance.now() - start) / 1000;
if (await download.failure()) throw new Error(`download failed: ${await download.failure()}`);
const hash = createHash('sha256').update(fs.readFileSync(saved)).digest('hex');
fs.copyFileSync(saved, path.join(scratch, 'downloaded.bin'));
await browser.close();
console.log(JSON.stringify({ upload, download: seconds, sha256: hash }));
