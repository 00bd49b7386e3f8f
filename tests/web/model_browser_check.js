// The model in Chromium (model_driver.py serves this page as index.html from a copy of web/):
// the same module the Node tests drive, on the browser's fetch, WebCrypto, Blob and streams.
// The page writes PASS or FAIL into #out; the driver reads the DOM Chromium dumps.
import { ApiClient } from './api/client.js';
import * as model from './model/index.js';

const out = /** @type {HTMLElement} */ (document.getElementById('out'));

/** @param {number} size */
function randomData(size) {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(data.subarray(i, Math.min(size, i + 65536)));
  return data;
}

/** @param {Uint8Array} a @param {Uint8Array} b */
function same(a, b) {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

async function check() {
  const api = new ApiClient('');
  const session = await model.login(api, 'alice', decodeURIComponent(location.hash.slice(1)), { device: 'chromium check' });
  const folder = await model.makeFolder(session, null, 'from-chromium');
  const data = randomData(3 * 1024 * 1024 + 77);
  data.fill(0, 1024 * 1024, 2 * 1024 * 1024);
  const file = await model.uploadFile(session, folder, 'browser.bin', new Blob([data]));
  if (!same(await model.readAll(session, file), data)) throw new Error('the bytes read back differ');
  const listed = await model.openFolder(session, folder);
  if (listed.length !== 1 || listed[0].name !== 'browser.bin' || listed[0].size !== BigInt(data.length)) throw new Error('the listing differs');
  const link = model.parseLinkUrl((await model.createLink(session, folder, {})).url);
  const guest = await model.openLink(new ApiClient(''), link.linkId, link.secret);
  const inside = await model.openFolder(guest);
  if (!same(await model.readAll(guest, inside[0]), data)) throw new Error('the bytes read through the link differ');
  await model.logout(session);
  return 'PASS';
}

check().then((result) => { out.textContent = result; }, (error) => { out.textContent = `FAIL ${error.name}: ${error.message}`; });
