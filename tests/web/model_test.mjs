// The dashboard's model (web/js/model) against a real cofferd and alice's real FUSE mount
// (model_driver.py sets them up): what the model writes the C++ client reads byte for byte and
// the other way round; tree changes, the trash, versions and shares; a lying server (a chunk
// edited in the data directory, a listing edited in flight) is refused as integrity.
import './webcrypto.mjs';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from '../../web/js/api/client.js';
import { ApiError } from '../../web/js/api/api_error.js';
import { base64urlEncode } from '../../web/js/crypto/base64url.js';
import { CofferCryptoError } from '../../web/js/crypto/errors.js';
import * as model from '../../web/js/model/index.js';
import { blobFile, cofferSync, env, eventually, fileBlob, inMount, lyingFetch, memoryPeak, mountHolds, mountLacks, randomData } from './model_helpers.mjs';

const MiB = 1024 * 1024;
const api = new ApiClient(env.url);
/** @type {import('../../web/js/model/session.js').Session} */
let alice;

/** @param {import('../../web/js/model/session.js').Session} session @param {any} folder @param {string} name */
async function find(session, folder, name) {
  const entry = (await model.openFolder(session, folder)).find((e) => e.name === name);
  assert.ok(entry, `${name} is listed`);
  return entry;
}

/** @param {unknown} error */
function isIntegrity(error) {
  return error instanceof CofferCryptoError && error.code === 'integrity';
}

test('login opens the keys; a wrong password is a 401', async () => {
  alice = await model.login(api, 'alice', env.password, { device: 'web model test' });
  assert.equal(alice.user, 'alice');
  assert.ok(alice.keys.get(alice.rootId));
  await assert.rejects(model.login(api, 'alice', 'not the password'), (e) => e instanceof ApiError && e.status === 401 && e.code === 'unauthenticated');
  const sessions = await model.listSessions(alice);
  assert.ok(sessions.some((s) => s.current && s.device === 'web model test'));
  const usage = await model.usage(alice);
  assert.equal(typeof usage.used, 'number');
  const other = await model.login(api, 'alice', env.password, { device: 'to be revoked' });
  const listed = (await model.listSessions(alice)).find((s) => s.device === 'to be revoked');
  assert.ok(listed && !listed.current);
  await model.revokeSession(alice, listed.sessionId);
  await assert.rejects(model.openFolder(other), (e) => e instanceof ApiError && e.status === 401);
});

test('a file uploaded by the model reads identical through the mount (holes, a partial last chunk, empty)', async () => {
  const data = randomData(3 * MiB + 12345);
  data.fill(0, MiB, 2 * MiB); // the second chunk is a hole: nothing stored
  const progress = [];
  const entry = await model.uploadFile(alice, null, 'from-model.bin', new Blob([data]), { onProgress: (done, total) => progress.push([done, total]) });
  assert.equal(progress.length, 4);
  assert.deepEqual(progress.at(-1), [data.length, data.length]);
  assert.equal(entry.size, BigInt(data.length));
  assert.equal(entry.kind, 'file');
  await mountHolds(inMount('from-model.bin'), data);
  const seen = await stat(inMount('from-model.bin'));
  assert.equal(seen.mode & 0o7777, 0o644);
  assert.equal(seen.uid, process.getuid()); // the root folder's owner, as the mount made it
  assert.equal(seen.blocks, (2 * MiB + 4 * 4096) / 512); // the hole stores nothing (st_blocks from coffer.stored)
  await model.uploadFile(alice, null, 'empty', new Blob([]));
  await mountHolds(inMount('empty'), new Uint8Array(0));
  const listed = await find(alice, null, 'from-model.bin');
  assert.deepEqual(await model.readAll(alice, listed), data);
});

test('a file written through the mount reads identical in the model', async () => {
  const data = randomData(2 * MiB + 777);
  await mkdir(inMount('docs'));
  await writeFile(inMount('docs', 'from-mount.bin'), data);
  await writeFile(inMount('docs', 'small.txt'), 'hello from the mount\n');
  await cofferSync();
  const docs = await find(alice, null, 'docs');
  assert.equal(docs.kind, 'folder');
  const file = await find(alice, docs, 'from-mount.bin');
  assert.equal(file.size, BigInt(data.length));
  assert.deepEqual(await model.readAll(alice, file), data);
  const small = await find(alice, docs, 'small.txt');
  assert.equal(new TextDecoder().decode(await model.readAll(alice, small)), 'hello from the mount\n');
});

test('make a folder, rename, move and remove, seen by the mount; restore from the trash', async () => {
  const box = await model.makeFolder(alice, null, 'box');
  await eventually('box in the mount', async () => (await stat(inMount('box'))).isDirectory());
  const data = randomData(MiB + 5);
  let file = await model.uploadFile(alice, box, 'a.bin', new Blob([data]));
  await mountHolds(inMount('box', 'a.bin'), data);

  file = await model.rename(alice, file, 'b.bin');
  await mountHolds(inMount('box', 'b.bin'), data);
  await mountLacks(inMount('box', 'a.bin'));

  await model.uploadFile(alice, null, 'b.bin', new Blob(['taken']));
  await assert.rejects(model.move(alice, file, null), (e) => e instanceof ApiError && e.code === 'already_exists');
  await model.remove(alice, await find(alice, null, 'b.bin'));
  file = await model.move(alice, file, null);
  await mountHolds(inMount('b.bin'), data);
  await mountLacks(inMount('box', 'b.bin'));
  await assert.rejects(model.makeFolder(alice, null, 'b.bin'), (e) => e instanceof ApiError && e.code === 'already_exists');

  await model.remove(alice, file);
  await mountLacks(inMount('b.bin'));
  const trash = await model.listTrash(alice);
  const item = trash.find((i) => i.nodeId === file.nodeId);
  assert.ok(item, 'b.bin is in the trash');
  assert.equal(item.entry?.size, BigInt(data.length));
  const name = await model.restoreFromTrash(alice, item, { items: trash });
  assert.equal(name, 'b.bin');
  await mountHolds(inMount('b.bin'), data);

  // A folder with a file in it: the folder goes to the trash once empty, and comes back with
  // its file in one restore.
  const inner = await model.makeFolder(alice, null, 'inner');
  const innerFile = await model.uploadFile(alice, inner, 'kept.txt', new Blob(['kept']));
  await model.remove(alice, innerFile);
  await model.remove(alice, inner);
  await mountLacks(inMount('inner'));
  const items = await model.listTrash(alice);
  const folderItem = items.find((i) => i.entry?.name === 'inner');
  assert.ok(folderItem, 'inner is in the trash');
  await model.restoreFromTrash(alice, folderItem, { items });
  await mountHolds(inMount('inner', 'kept.txt'), new TextEncoder().encode('kept'));
});

test('a folder changed between listing and sending is listed again and the change sealed again', async () => {
  let raced = false;
  const racing = new ApiClient(env.url, {
    fetch: async (input, init) => {
      if (!raced && new URL(input).pathname === '/v1/batch') {
        raced = true; // another device changes the root first: this batch's folder record is stale (409)
        await model.makeFolder(alice, null, 'raced-in');
      }
      return fetch(input, init);
    },
  });
  await model.makeFolder({ ...alice, api: racing }, null, 'after-race');
  assert.ok(raced);
  const names = (await model.openFolder(alice)).map((e) => e.name);
  assert.ok(names.includes('raced-in') && names.includes('after-race'));
  await eventually('both in the mount', async () => (await stat(inMount('raced-in'))).isDirectory() && (await stat(inMount('after-race'))).isDirectory());
});

test('many small uploads into one folder list it once: the session keeps its revision and commitment', async () => {
  const folder = await model.makeFolder(alice, null, 'small-files');
  let listings = 0;
  const counting = new ApiClient(env.url, {
    fetch: (input, init) => {
      if (/\/entries$/.test(new URL(input).pathname)) listings++;
      return fetch(input, init);
    },
  });
  const session = { ...alice, api: counting };
  const files = [];
  for (let i = 0; i < 20; i++) files.push(randomData(100 + i));
  for (let i = 0; i < files.length; i++) await model.uploadFile(session, folder, `small-${i}.bin`, new Blob([files[i]]));
  assert.ok(listings <= 1, `${listings} listings`);
  for (let i = 0; i < files.length; i++) await mountHolds(inMount('small-files', `small-${i}.bin`), files[i]);
  // The mount adds a file: the cached state is behind, the next upload meets a 409 and lists again.
  await writeFile(inMount('small-files', 'from-mount.txt'), 'mount');
  await cofferSync();
  await model.uploadFile(session, folder, 'after-mount.bin', new Blob([files[0]]));
  const names = (await model.openFolder(alice, folder)).map((e) => e.name);
  assert.equal(names.length, 22);
  assert.ok(names.includes('from-mount.txt') && names.includes('after-mount.bin'));
});

test('versions: a second upload is a new version; an old one is restored, seen by the mount', async () => {
  const v1 = randomData(MiB + 100);
  const v2 = randomData(200);
  await model.uploadFile(alice, null, 'v.bin', new Blob([v1]));
  const second = await model.uploadFile(alice, null, 'v.bin', new Blob([v2]));
  assert.equal(second.version, 2);
  await mountHolds(inMount('v.bin'), v2);
  const versions = await model.listVersions(alice, second);
  assert.deepEqual(versions.map((v) => [v.version, v.size, v.current]), [[1, BigInt(v1.length), false], [2, BigInt(v2.length), true]]);
  assert.deepEqual(await model.readAll(alice, second, { version: 1 }), v1);
  const restored = await model.restoreVersion(alice, second, 1);
  assert.equal(restored.version, 3);
  assert.equal(restored.size, BigInt(v1.length));
  assert.deepEqual(await model.readAll(alice, restored), v1);
  await mountHolds(inMount('v.bin'), v1);
});

test('a folder shared with bob: bob reads it through sharedWithMe; read-only is enforced', async () => {
  const data = randomData(MiB + 3);
  await mkdir(inMount('team'));
  await writeFile(inMount('team', 'plan.bin'), data);
  await cofferSync();
  const team = await find(alice, null, 'team');
  const who = await model.whois(alice, 'bob');
  assert.match(who.fingerprint, /^([0-9a-f]{4} ){7}[0-9a-f]{4}$/);
  const made = await model.share(alice, team, 'bob', 'read');
  assert.equal(made.fingerprint, who.fingerprint);

  const bob = await model.login(api, 'bob', env.password);
  const { shares, refused } = await model.sharedWithMe(bob);
  assert.deepEqual(refused, []);
  assert.equal(shares.length, 1);
  assert.equal(shares[0].owner, 'alice');
  assert.equal(shares[0].name, 'team');
  assert.equal(shares[0].role, 'read');
  assert.equal(shares[0].grantedByFingerprint, (await model.whois(bob, 'alice')).fingerprint);
  const plan = await find(bob, shares[0].entry, 'plan.bin');
  assert.deepEqual(await model.readAll(bob, plan), data);
  await assert.rejects(model.uploadFile(bob, shares[0].entry, 'mine.txt', new Blob(['x'])), (e) => e instanceof ApiError && e.status === 403);

  // A grant whose owner the server changed does not open; nothing of it is shown.
  const lying = new ApiClient(env.url, { fetch: lyingFetch(/^\/v1\/shares$/, (body) => ({ ...body, incoming: body.incoming.map((g) => ({ ...g, owner: 'carol' })) })) });
  const forged = await model.sharedWithMe({ ...bob, api: lying });
  assert.deepEqual([forged.shares.length, forged.refused.length], [0, 1]);

  // Write granted: what bob uploads into alice's folder, alice's mount reads.
  await model.share(alice, team, 'bob', 'write');
  const [writable] = (await model.sharedWithMe(bob)).shares;
  assert.equal(writable.role, 'write');
  const fromBob = randomData(MiB + 1);
  await model.uploadFile(bob, writable.entry, 'from-bob.bin', new Blob([fromBob]));
  await mountHolds(inMount('team', 'from-bob.bin'), fromBob);

  // Bob deletes it and, from a new session, finds it in his trash and restores it.
  const bobFile = await find(bob, writable.entry, 'from-bob.bin');
  await model.remove(bob, bobFile);
  await mountLacks(inMount('team', 'from-bob.bin'));
  const bobAgain = await model.login(api, 'bob', env.password);
  const bobTrash = await model.listTrash(bobAgain);
  const bobItem = bobTrash.find((i) => i.nodeId === bobFile.nodeId);
  assert.ok(bobItem?.entry, 'bob sees what he deleted in the share');
  assert.equal(bobItem.owner, 'alice');
  assert.equal(await model.restoreFromTrash(bobAgain, bobItem, { items: bobTrash }), 'from-bob.bin');
  await mountHolds(inMount('team', 'from-bob.bin'), fromBob);
  await model.logout(bobAgain);

  await model.unshare(alice, team, 'bob');
  assert.deepEqual((await model.sharedWithMe(bob)).shares, []);
  await assert.rejects(model.openFolder(bob, shares[0].entry), (e) => e instanceof ApiError && e.status === 404);
  await model.logout(bob);
});

test('a key the server changed is refused until trusted with the fingerprint its owner reads out', async () => {
  const session = await model.login(api, 'alice', env.password);
  const real = await model.whois(session, 'bob');
  const own = await model.whois(session, 'alice');
  const swapped = new ApiClient(env.url, {
    fetch: lyingFetch(/^\/v1\/users\/bob\/public_key$/, (body) => ({ ...body, public_key: base64urlEncode(own.publicKey) })),
  });
  const lying = { ...session, api: swapped }; // the same known keys
  await assert.rejects(model.whois(lying, 'bob'), isIntegrity);
  await assert.rejects(model.trust(lying, 'bob', real.fingerprint), (e) => e instanceof CofferCryptoError && e.code === 'invalid_argument');
  await assert.rejects(model.whois(lying, 'bob'), isIntegrity, 'a refused trust changes nothing');
  assert.equal(await model.trust(lying, 'bob', ` ${own.fingerprint.toUpperCase().replace(/ /g, '')} `), own.fingerprint);
  assert.equal((await model.whois(lying, 'bob')).seen, 'known');
  await assert.rejects(model.whois(session, 'bob'), isIntegrity, 'the key trusted replaced the one remembered');
  await model.logout(session);
});

test('a chunk edited in the server data directory is refused as integrity, never read', async () => {
  const data = randomData(2 * MiB);
  const entry = await model.uploadFile(alice, null, 'tamper.bin', new Blob([data]));
  const manifest = await model.openVersion(alice, entry);
  const second = manifest.chunks[1];
  assert.ok(second);
  const id = Buffer.from(second.id).toString('hex');
  const path = await blobFile(id);
  assert.ok(path, 'the blob file is found');
  const stored = await readFile(path);
  stored[100] ^= 0x01;
  await writeFile(path, stored);
  const reader = model.readFile(alice, entry).getReader();
  const first = await reader.read();
  assert.deepEqual(first.value, data.subarray(0, MiB)); // the first chunk is intact
  await assert.rejects(reader.read(), isIntegrity);
});

test('a chunk longer than its manifest allows is refused before it is all read', async () => {
  const data = randomData(MiB + 10);
  const entry = await model.uploadFile(alice, null, 'oversized.bin', new Blob([data]));
  let served = 0;
  const endless = () => new ReadableStream({ // what a hostile server could send for a blob: no end
    pull(controller) {
      served += 64 * 1024;
      controller.enqueue(new Uint8Array(64 * 1024));
    },
  });
  const lying = new ApiClient(env.url, {
    fetch: async (input, init) => (/\/v1\/blobs\//.test(new URL(input).pathname)
      ? new Response(endless(), { status: 200, headers: { 'Content-Type': 'application/octet-stream' } })
      : fetch(input, init)),
  });
  const reader = model.readFile({ ...alice, api: lying }, entry).getReader();
  await assert.rejects(reader.read(), isIntegrity);
  assert.ok(served < 8 * MiB, `read ${served} bytes of blobs that should have been refused at about 1 MiB each`);
});

test('a listing edited in flight is refused as integrity', async () => {
  const swapped = new ApiClient(env.url, {
    fetch: lyingFetch(/\/entries$/, (body) => {
      const [a, b] = body.entries;
      [a.wrapped_key, b.wrapped_key] = [b.wrapped_key, a.wrapped_key];
      return body;
    }),
  });
  await assert.rejects(model.openFolder({ ...alice, api: swapped }, null), isIntegrity);
  const dropped = new ApiClient(env.url, { fetch: lyingFetch(/\/entries$/, (body) => ({ ...body, entries: body.entries.slice(1) })) });
  await assert.rejects(model.openFolder({ ...alice, api: dropped }, null), isIntegrity);
  const renamed = new ApiClient(env.url, {
    fetch: lyingFetch(/\/entries$/, (body) => {
      const [a, b] = body.entries;
      [a.name, b.name] = [b.name, a.name];
      return body;
    }),
  });
  await assert.rejects(model.openFolder({ ...alice, api: renamed }, null), isIntegrity);
  const twice = new ApiClient(env.url, { fetch: lyingFetch(/\/entries$/, (body) => ({ ...body, entries: [...body.entries, body.entries[0]] })) });
  await assert.rejects(model.openFolder({ ...alice, api: twice }, null), isIntegrity);
  const records = new ApiClient(env.url, {
    fetch: lyingFetch(/\/entries$/, (body) => {
      const files = body.entries.filter((e) => e.node.type === 'file');
      const [a, b] = files;
      [a.node.attributes, b.node.attributes] = [b.node.attributes, a.node.attributes];
      [a.node.attributes_revision, b.node.attributes_revision] = [b.node.attributes_revision, a.node.attributes_revision];
      return body;
    }),
  });
  await assert.rejects(model.openFolder({ ...alice, api: records }, null), isIntegrity);
  const older = new ApiClient(env.url, {
    fetch: lyingFetch(/\/versions\/current$/, (body) => ({ ...body, version: body.version - 1 })),
  });
  const file = await find(alice, null, 'v.bin');
  await assert.rejects(model.readAll({ ...alice, api: older }, file), isIntegrity);
});

test('links: a file link and a password folder link open into read-only sessions; wrong key, used up, revoked', async () => {
  const data = randomData(MiB + 9);
  const folder = await model.makeFolder(alice, null, 'linked');
  const file = await model.uploadFile(alice, folder, 'doc.bin', new Blob([data]));
  const made = await model.createLink(alice, file, { maxDownloads: 2, path: '/linked/doc.bin' });
  assert.ok(made.url.startsWith(`${env.url}/l/`));
  const link = model.parseLinkUrl(made.url);
  assert.equal(link.linkId, made.linkId);
  const anonymous = new ApiClient(env.url);
  const info = await model.linkInfo(anonymous, link.linkId);
  assert.deepEqual([info.kind, info.password, info.owner, info.downloads], ['file', null, 'alice', 0]);
  const viewer = await model.openLink(anonymous, link.linkId, link.secret);
  assert.equal(viewer.readOnly, true);
  assert.equal(viewer.link.entry.size, BigInt(data.length));
  assert.deepEqual(await model.readAll(viewer, viewer.link.entry), data);
  // The token reads the linked node only.
  await assert.rejects(model.openFolder({ ...viewer, rootId: alice.rootId, keys: alice.keys }), (e) => e instanceof ApiError && e.status === 404);
  // Another secret does not open the sealed key (and uses the second download).
  await assert.rejects(model.openLink(anonymous, link.linkId, new Uint8Array(32)), isIntegrity);
  await assert.rejects(model.openLink(anonymous, link.linkId, link.secret), (e) => e instanceof ApiError && e.status === 410 && e.code === 'gone');
  const mine = (await model.listLinks(alice)).find((l) => l.linkId === link.linkId);
  assert.deepEqual([mine?.label, mine?.downloads, mine?.maxDownloads, mine?.password], ['/linked/doc.bin', 2, 2, false]);

  const folderLink = await model.createLink(alice, folder, { password: 'open sesame', expiresAt: new Date(Date.now() + 3600_000) });
  const parsed = model.parseLinkUrl(folderLink.url);
  assert.ok((await model.linkInfo(anonymous, parsed.linkId)).password);
  await assert.rejects(model.openLink(anonymous, parsed.linkId, parsed.secret, 'wrong password'), isIntegrity);
  const guest = await model.openLink(anonymous, parsed.linkId, parsed.secret, 'open sesame');
  const doc = await find(guest, null, 'doc.bin');
  assert.deepEqual(await model.readAll(guest, doc), data);
  await assert.rejects(model.uploadFile(guest, null, 'mine.txt', new Blob(['x'])), (e) => e instanceof ApiError && e.status === 403);
  await model.revokeLink(alice, parsed.linkId);
  await assert.rejects(model.openFolder(guest), (e) => e instanceof ApiError && (e.status === 401 || e.status === 404));
  await assert.rejects(model.linkInfo(anonymous, parsed.linkId), (e) => e instanceof ApiError && e.status === 404);
});

test('a 2 GiB file goes up and comes down chunk by chunk, never whole in memory', async (t) => {
  const GiB = 1024 * MiB;
  const size = 2 * GiB + 4321;
  const directory = await mkdtemp(join(tmpdir(), 'coffer-web-model-'));
  const path = join(directory, 'big.bin');
  const pieces = [[0, randomData(MiB)], [GiB - 10, randomData(3 * MiB)], [size - 5000, randomData(5000)]];
  const handle = await open(path, 'w');
  await handle.truncate(size); // sparse: the rest reads as zeros, stored as holes
  for (const [at, data] of pieces) await handle.write(data, 0, data.length, at);
  await handle.close();
  try {
    const expected = createHash('sha256');
    const local = await open(path);
    for (let at = 0; at < size; at += 16 * MiB) {
      const bytes = new Uint8Array(Math.min(16 * MiB, size - at));
      await local.read(bytes, 0, bytes.length, at);
      expected.update(bytes);
    }
    await local.close();

    const blob = await fileBlob(path);
    let stop = memoryPeak();
    const entry = await model.uploadFile(alice, null, 'big.bin', /** @type {any} */ (blob));
    const upPeak = stop();
    await blob.close();
    assert.equal(entry.size, BigInt(size));

    stop = memoryPeak();
    const got = createHash('sha256');
    let read = 0;
    const reader = model.readFile(alice, entry).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      got.update(value);
      read += value.length;
    }
    const downPeak = stop();
    assert.equal(read, size);
    assert.equal(got.digest('hex'), expected.digest('hex'));
    t.diagnostic(`2 GiB file: peak resident memory ${upPeak.toFixed(0)} MiB up, ${downPeak.toFixed(0)} MiB down`);
    assert.ok(upPeak < 600 && downPeak < 600, `memory stays small (${upPeak}, ${downPeak} MiB)`);

    // The mount reads the same bytes where the data is.
    await eventually('big.bin in the mount', async () => (await stat(inMount('big.bin'))).size === size);
    const mounted = await open(inMount('big.bin'));
    for (const [at, data] of pieces) {
      const bytes = new Uint8Array(data.length + 20);
      const { bytesRead } = await mounted.read(bytes, 0, bytes.length, at - 10 < 0 ? 0 : at - 10);
      const offset = at - 10 < 0 ? 0 : 10;
      assert.deepEqual(bytes.subarray(offset, offset + data.length), data);
      assert.ok(bytesRead >= data.length);
    }
    await mounted.close();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});

test('speed: a 64 MiB file up and down in Node', async (t) => {
  const data = randomData(64 * MiB);
  let start = performance.now();
  const entry = await model.uploadFile(alice, null, 'speed.bin', new Blob([data]));
  const up = performance.now() - start;
  start = performance.now();
  const reader = model.readFile(alice, entry).getReader();
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
  }
  const down = performance.now() - start;
  assert.equal(size, data.length);
  const rate = (ms) => (64 / (ms / 1000)).toFixed(1);
  t.diagnostic(`64 MiB upload ${(up / 1000).toFixed(2)} s (${rate(up)} MiB/s), download ${(down / 1000).toFixed(2)} s (${rate(down)} MiB/s)`);

  // A folder of 1000 files made through the mount, listed and verified by the model.
  await mkdir(inMount('many'));
  for (let i = 0; i < 1000; i++) await writeFile(inMount('many', `file-${i}.txt`), `${i}\n`);
  await cofferSync();
  const many = await find(alice, null, 'many');
  start = performance.now();
  const listed = await model.openFolder(alice, many);
  const listing = performance.now() - start;
  assert.equal(listed.length, 1000);
  assert.deepEqual(listed.map((e) => e.size), listed.map((e) => BigInt(`${e.name.slice(5, -4)}\n`.length)));
  t.diagnostic(`a folder of 1000 files listed and verified in ${(listing / 1000).toFixed(2)} s`);
  await model.logout(alice);
});
