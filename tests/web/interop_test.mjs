// The browser crypto module against the real C++ client, in both directions: `coffer fernet`
// (standard tokens), coffer_chunk_tool (raw chunk tokens) and coffer_record_tool (sealed
// entries, folder records, manifests, the folder commitment), all from tests/interop. CTest
// sets COFFER_BIN_DIR to the built binaries.
import './webcrypto.mjs';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';

import { decryptChunk, encryptChunk } from '../../web/js/crypto/chunk.js';
import { openEntryKey, sealEntryKey, tokenMac } from '../../web/js/crypto/entry_seal.js';
import { fernetDecrypt, fernetEncrypt, importFernetKey } from '../../web/js/crypto/fernet.js';
import { FolderCommitment } from '../../web/js/crypto/folder_commitment.js';
import { openFolderRecord, sealFolderRecord } from '../../web/js/crypto/folder_record.js';
import { hexDecode, hexEncode } from '../../web/js/crypto/hex.js';
import { openManifest, sealManifest } from '../../web/js/crypto/manifest.js';
import { randomBytes } from '../../web/js/crypto/random.js';
import { keyFrom, keyText, manifestFrom, manifestJson } from './record_json.mjs';

const BIN_DIR = process.env.COFFER_BIN_DIR;
assert.ok(BIN_DIR, 'COFFER_BIN_DIR must name the directory of the built coffer binaries');
const COFFER = join(BIN_DIR, 'coffer');
const CHUNK_TOOL = join(BIN_DIR, 'coffer_chunk_tool');
const RECORD_TOOL = join(BIN_DIR, 'coffer_record_tool');
const SIZES = [0, 1, 15, 16, 17, 4095, 4096, 4097, 1 << 20];

const tmp = mkdtempSync(join(tmpdir(), 'coffer-web-interop-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function run(args, input = new Uint8Array(0)) {
  const result = spawnSync(args[0], args.slice(1), { input, maxBuffer: 64 << 20 });
  if (result.error) throw result.error;
  return result;
}

function ok(args, input) {
  const result = run(args, input);
  assert.equal(result.status, 0, `${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function tool(command, request) {
  return JSON.parse(ok([RECORD_TOOL, command], Buffer.from(JSON.stringify(request))).toString());
}

function refusedByTool(command, request) {
  const result = run([RECORD_TOOL, command], Buffer.from(JSON.stringify(request)));
  assert.equal(result.status, 1, `${command} accepted what it should refuse`);
}

function newKeyFile(name) {
  const text = ok([COFFER, 'fernet', 'genkey']).toString().trim();
  const path = join(tmp, name);
  writeFileSync(path, `${text}\n`);
  return { text, path, bytes: keyFrom(text) };
}

test('coffer fernet tokens decrypt in the browser module, and its tokens in coffer', async () => {
  const key = newKeyFile('fernet.key');
  const fernetKey = await importFernetKey(key.bytes);
  for (const size of SIZES) {
    const data = randomBytes(size);
    const token = ok([COFFER, 'fernet', 'encrypt', '--key-file', key.path], data).toString().trim();
    assert.deepEqual(await fernetDecrypt(fernetKey, token), data, `coffer -> browser, ${size} bytes`);
    const ours = await fernetEncrypt(fernetKey, data);
    assert.deepEqual(new Uint8Array(ok([COFFER, 'fernet', 'decrypt', '--key-file', key.path], Buffer.from(ours))), data, `browser -> coffer, ${size} bytes`);
  }
  const other = newKeyFile('other.key');
  const ours = await fernetEncrypt(fernetKey, randomBytes(10));
  assert.equal(run([COFFER, 'fernet', 'decrypt', '--key-file', other.path], Buffer.from(ours)).status, 1);
});

test('chunks: coffer_chunk_tool and the browser module read each other, under the MAC the manifest names', async () => {
  const key = newKeyFile('chunk.key');
  const fileKey = await importFernetKey(key.bytes);
  const storedPath = join(tmp, 'stored');
  for (const size of SIZES.filter((n) => n > 0)) {
    const piece = randomBytes(size);
    const [id, mac] = ok([CHUNK_TOOL, 'encrypt', key.path, storedPath], piece).toString().trim().split(' ');
    const stored = new Uint8Array(readFileSync(storedPath));
    assert.deepEqual(await decryptChunk(fileKey, hexDecode(mac), stored), piece, `coffer -> browser, ${size}`);
    const ours = await encryptChunk(fileKey, piece);
    assert.deepEqual(new Uint8Array(ok([CHUNK_TOOL, 'decrypt', key.path, hexEncode(ours.mac)], ours.stored)), piece, `browser -> coffer, ${size}`);
    assert.equal(run([CHUNK_TOOL, 'decrypt', key.path, mac], ours.stored).status, 1, 'another MAC is refused');
    assert.match(id, /^[0-9a-f]{64}$/);
  }
});

test('sealed entries in both directions, refused under another binding', async () => {
  const parentKey = randomBytes(32);
  const nodeKey = randomBytes(32);
  const binding = { parentId: hexEncode(randomBytes(16)), nodeId: hexEncode(randomBytes(16)), nameTag: hexEncode(randomBytes(32)) };
  const request = { parent_key: keyText(parentKey), parent: binding.parentId, node: binding.nodeId, tag: binding.nameTag };
  const theirs = tool('seal-entry', { ...request, node_key: keyText(nodeKey) });
  assert.deepEqual(await openEntryKey(parentKey, binding, hexDecode(theirs.sealed)), nodeKey);
  const ours = await sealEntryKey(parentKey, binding, nodeKey);
  assert.equal(tool('open-entry', { ...request, sealed: hexEncode(ours) }).node_key, keyText(nodeKey));
  refusedByTool('open-entry', { ...request, node: hexEncode(randomBytes(16)), sealed: hexEncode(ours) });
});

test('folder records in both directions', async () => {
  const key = randomBytes(32);
  const record = { nodeId: hexEncode(randomBytes(16)), revision: 77n, entryCount: 5n, commitment: randomBytes(32) };
  const theirs = tool('seal-folder', { key: keyText(key), node: record.nodeId, revision: 77, entry_count: 5, commitment: hexEncode(record.commitment) });
  assert.deepEqual(await openFolderRecord(key, record.nodeId, hexDecode(theirs.sealed)), record);
  const opened = tool('open-folder', { key: keyText(key), node: record.nodeId, sealed: hexEncode(await sealFolderRecord(key, record)) });
  assert.deepEqual(opened, { revision: 77, entry_count: 5, commitment: hexEncode(record.commitment) });
});

test('manifests with holes, data blocks and xattrs in both directions', async () => {
  const key = randomBytes(32);
  const node = hexEncode(randomBytes(16));
  const json = {
    node, version: 12, size: 4 * 65536 + 17, chunk_size: 65536,
    chunks: [null, [hexEncode(randomBytes(32)), hexEncode(randomBytes(32)), 16], null, null, [hexEncode(randomBytes(32)), hexEncode(randomBytes(32)), 1]],
    attributes: {
      mode: 0o100640, uid: 1000, gid: 100, rdev: 0, atime: [1700000000, 1], mtime: [-5, 999999999], ctime: [0, 0],
      xattrs: { 'user.a': '00ff', 'user.b': '', 'trusted.x': hexEncode(randomBytes(300)) }, target: '',
    },
  };
  const theirs = tool('seal-manifest', { key: keyText(key), manifest: json });
  const opened = await openManifest(key, node, hexDecode(theirs.sealed));
  assert.deepEqual(manifestJson(opened), { ...json, attributes: { ...json.attributes, xattrs: { 'trusted.x': json.attributes.xattrs['trusted.x'], 'user.a': '00ff', 'user.b': '' } } });
  const ours = await sealManifest(key, manifestFrom(json));
  assert.deepEqual(tool('open-manifest', { key: keyText(key), node, sealed: hexEncode(ours) }).manifest.chunks, json.chunks);
  refusedByTool('open-manifest', { key: keyText(key), node: hexEncode(randomBytes(16)), sealed: hexEncode(ours) });
});

test('the folder commitment of random sets equals the C++ FolderCommitment', async () => {
  for (const size of [0, 1, 300, 2000]) {
    const leaves = Array.from({ length: size }, () => [hexEncode(randomBytes(32)), hexEncode(randomBytes(32))]);
    const set = new FolderCommitment();
    for (const [tag, mac] of leaves) set.set(tag, hexDecode(mac));
    assert.equal(hexEncode(await set.digest()), tool('commitment', { leaves }).commitment, `${size} leaves`);
  }
  // The leaf of a real sealed entry is its token's MAC.
  const sealed = await sealEntryKey(randomBytes(32), { parentId: 'p', nodeId: 'n', nameTag: '00'.repeat(32) }, randomBytes(32));
  const set = new FolderCommitment();
  set.set('00'.repeat(32), tokenMac(sealed));
  assert.equal(hexEncode(await set.digest()), tool('commitment', { leaves: [['00'.repeat(32), hexEncode(tokenMac(sealed))]] }).commitment);
});
