// The model in Chromium (model_driver.py serves this page as index.html from a copy of web/):
// the same module the Node tests drive, on the browser's fetch, WebCrypto, Blob and streams.
// The page writes PASS or FAIL into #out; the driver reads the DOM Chromium dumps.
import { ApiError } from './api/api_error.js';
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

/**
 * The dashboard's upload path: pieces encrypted and PUT by workers, byte-exact like the page's
 * own; and a PUT a worker's request is refused with reaches the page as the same ApiError.
 * @param {import('./model/session.js').Session} session
 * @param {import('./model/listing.js').Entry} folder
 * @param {Uint8Array} data
 */
async function checkWorkers(session, folder, data) {
  const workers = new model.PieceWorkers(2);
  const file = await model.uploadFile(session, folder, 'workers.bin', new Blob([data]), { pieces: workers });
  if (!same(await model.readAll(session, file), data)) throw new Error('the bytes the workers stored read back differ');
  const other = await model.login(new ApiClient(''), 'alice', decodeURIComponent(location.hash.slice(1)), { device: 'chromium revoked' });
  const [entry] = (await model.openFolder(other, null)).filter((e) => e.name === 'from-chromium');
  const [target] = await model.openFolder(other, entry);
  await model.revokeSession(session, /** @type {string} */ (other.sessionId));
  const refused = await model.replaceContent(other, target, new Blob([data]), { pieces: workers }).then(() => null, (error) => error);
  if (!(refused instanceof ApiError) || refused.status !== 401 || refused.code !== 'unauthenticated') {
    throw new Error(`a worker's refused PUT came back as ${refused?.name} ${refused?.status} ${refused?.code}`);
  }
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
  await checkWorkers(session, folder, data);
  await model.logout(session);
  return 'PASS';
}

check().then((result) => { out.textContent = result; }, (error) => { out.textContent = `FAIL ${error.name}: ${error.message}`; });
