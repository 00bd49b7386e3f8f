// The module's own rules, beyond what the vectors pin: strict encodings, the KDF bounds a
// hostile server meets, round trips of everything that seals, forged and swapped data refused,
// and errors that carry a code and no secret.
import './webcrypto.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { openAttributeRecord, sealAttributeRecord } from '../../web/js/crypto/attribute_record.js';
import { base64urlDecode, base64urlEncode } from '../../web/js/crypto/base64url.js';
import { utf8 } from '../../web/js/crypto/bytes.js';
import { countDataBlocks, decryptChunk, encryptChunk, encryptChunkOrHole } from '../../web/js/crypto/chunk.js';
import { openEntryKey, sealEntryKey, tokenMac } from '../../web/js/crypto/entry_seal.js';
import { CofferCryptoError } from '../../web/js/crypto/errors.js';
import { fernetDecrypt, fernetDecryptRaw, fernetEncrypt, fernetEncryptRaw, fernetRawSize, importFernetKey } from '../../web/js/crypto/fernet.js';
import { FolderCommitment } from '../../web/js/crypto/folder_commitment.js';
import { openGrant, sealGrant } from '../../web/js/crypto/grant_seal.js';
import { hexDecode, hexEncode } from '../../web/js/crypto/hex.js';
import { deriveLoginKeys, kdfParamsFromJson, validateKdfParams } from '../../web/js/crypto/kdf.js';
import { openKeyBundle, sealKeyBundle } from '../../web/js/crypto/key_bundle.js';
import { openManifest, sealManifest } from '../../web/js/crypto/manifest.js';
import { decryptName, encryptName, isValidName } from '../../web/js/crypto/names.js';
import { randomBytes } from '../../web/js/crypto/random.js';
import { generateX25519Identity, x25519IdentityFromPrivate } from '../../web/js/crypto/x25519.js';
import { assertRefused } from './refusal.mjs';

const NODE = '00112233445566778899aabbccddeeff';
const emptyAttributes = () => ({
  mode: 0o100600, uid: 1000, gid: 1000, rdev: 0n,
  atime: { sec: 1n, nsec: 0 }, mtime: { sec: 2n, nsec: 0 }, ctime: { sec: 3n, nsec: 0 },
  xattrs: [], symlinkTarget: new Uint8Array(0),
});

test('base64url refuses every non-canonical text', async () => {
  assert.equal(base64urlEncode(utf8('\xff\xfe')), 'w7_Dvg==');
  for (const text of ['abc', 'ab=c', 'a===', '====', 'ab+/', 'ab c', 'ab\nc', 'AB==AAAA', 'AB==', 'ABC=', 'é===']) {
    await assertRefused(() => base64urlDecode(text), 'invalid_token', text);
  }
  assert.deepEqual(base64urlDecode('AA=='), Uint8Array.of(0));
  assert.deepEqual(base64urlDecode('AAE='), Uint8Array.of(0, 1));
});

test('hex is lowercase and even-length only', async () => {
  assert.equal(hexEncode(Uint8Array.of(0, 0xab, 0xff)), '00abff');
  for (const text of ['0', 'AB', 'zz', '0x00']) await assertRefused(() => hexDecode(text), 'invalid_argument', text);
});

test('Fernet round trips around every block boundary; the raw size is documented', async () => {
  const key = await importFernetKey(randomBytes(32));
  for (const size of [0, 1, 15, 16, 17, 4095, 4096, 4097, 1 << 20]) {
    const plaintext = randomBytes(size);
    const raw = await fernetEncryptRaw(key, plaintext);
    assert.equal(raw.length, fernetRawSize(size));
    assert.equal(raw[0], 0x80);
    assert.deepEqual(await fernetDecryptRaw(key, raw), plaintext);
    assert.deepEqual(await fernetDecrypt(key, base64urlEncode(raw)), plaintext);
  }
  const token = await fernetEncrypt(key, utf8('x'));
  assert.notEqual(token, await fernetEncrypt(key, utf8('x')), 'a fresh IV each time');
  await assertRefused(fernetDecrypt(await importFernetKey(randomBytes(32)), token), 'invalid_token');
  await assertRefused(importFernetKey(randomBytes(31)), 'invalid_argument');
});

test('error messages name the defect and hold no key, token or plaintext', async () => {
  const keyBytes = randomBytes(32);
  const keyText = base64urlEncode(keyBytes);
  const token = await fernetEncrypt(await importFernetKey(keyBytes), utf8('secret plaintext'));
  const other = await importFernetKey(randomBytes(32));
  await assertRefused(fernetDecrypt(other, token), 'invalid_token', 'wrong key', [keyText, token, 'secret plaintext']);
  await assertRefused(decryptName(randomBytes(32), token), 'integrity', 'wrong folder', [keyText, token, 'secret plaintext']);
  const error = await fernetDecrypt(other, token).catch((e) => e);
  assert.ok(error instanceof CofferCryptoError && error instanceof Error);
});

const cheap = () => ({ algorithm: 'scrypt', n: 2 ** 14, r: 8, p: 1, salt: hexDecode('000102030405060708090a0b0c0d0e0f') });

test('KDF parameters from a hostile server are refused before any work (kdf_test.cpp cases)', async () => {
  const spoilers = {
    argon2id: { algorithm: 'argon2id' },
    'n not a power of two': { n: 30000 },
    'n too small': { n: 2 ** 13 },
    'n too large': { n: 2 ** 23 },
    'n zero': { n: 0 },
    'n fractional': { n: 16384.5 },
    'r zero': { r: 0 },
    'r too large': { r: 33 },
    'p zero': { p: 0 },
    'p too large': { p: 17 },
    'over 1 GiB of memory': { n: 2 ** 22 },
    'salt too short': { salt: new Uint8Array(15) },
    'salt too long': { salt: new Uint8Array(65) },
  };
  for (const [name, spoil] of Object.entries(spoilers)) {
    const params = { ...cheap(), ...spoil };
    await assertRefused(() => validateKdfParams(params), 'invalid_argument', name);
    await assertRefused(deriveLoginKeys('pw', params), 'invalid_argument', name);
  }
  validateKdfParams({ ...cheap(), n: 2 ** 22, r: 1 }); // 512 MiB: allowed
  for (const json of [{ algorithm: 'scrypt', n: '16384', r: 8, p: 1, salt: 'AAECAwQFBgcICQoLDA0ODw==' },
    { algorithm: 'scrypt', n: 16384, r: 8, p: 1, salt: 'AAECAwQFBgcICQoLDA0ODw' },
    { algorithm: 'scrypt', n: 16384, r: 8, p: 1 }]) {
    await assertRefused(() => kdfParamsFromJson(json), 'invalid_argument', JSON.stringify(json));
  }
  assert.deepEqual(kdfParamsFromJson({ algorithm: 'scrypt', n: 16384, r: 8, p: 1, salt: 'AAECAwQFBgcICQoLDA0ODw==' }), cheap());
});

test('login keys depend on the password and the salt; auth_key is not kek', async () => {
  const a = await deriveLoginKeys('password one', cheap());
  const b = await deriveLoginKeys('password two', cheap());
  const salt = cheap().salt;
  salt[0] ^= 1;
  const c = await deriveLoginKeys('password one', { ...cheap(), salt });
  assert.notDeepEqual(a.authKey, b.authKey);
  assert.notDeepEqual(a.authKey, c.authKey);
  assert.notDeepEqual(a.authKey, a.kek);
  assert.equal(a.kek.length, 32);
});

test('names: invalid names are recognised and refused when they decrypt', async () => {
  const parent = randomBytes(32);
  for (const bad of ['', '.', '..', 'a/b', 'a\0b', 'x'.repeat(256)]) {
    assert.equal(isValidName(bad), false, JSON.stringify(bad));
    await assertRefused(decryptName(parent, await encryptName(parent, bad)), 'integrity', JSON.stringify(bad));
  }
  for (const good of ['...', '.hidden', 'x'.repeat(255), 'Grüße']) assert.equal(isValidName(good), true, good);
  await assertRefused(decryptName(parent, 'not a token'), 'integrity');
  assert.deepEqual(await decryptName(parent, await encryptName(parent, Uint8Array.of(0xff, 0x41))), Uint8Array.of(0xff, 0x41));
});

test('key bundles round trip; the identity derives the same public key', async () => {
  const kek = randomBytes(32);
  const master = randomBytes(32);
  const { privateBytes, identity } = await generateX25519Identity();
  const opened = await openKeyBundle(kek, await sealKeyBundle(kek, master, privateBytes));
  assert.deepEqual(opened.masterKey, master);
  assert.deepEqual(opened.identity.publicKey, identity.publicKey);
  await assertRefused(openKeyBundle(randomBytes(32), await sealKeyBundle(kek, master, privateBytes)), 'integrity');
});

const grantPayload = () => ({ nodeId: NODE, owner: 'alice', grantee: 'bob', name: utf8('Holiday photos'), isFolder: true, key: randomBytes(32) });

test('a grant opens for its grantee; one the server seals with its own identity does not', async () => {
  const alice = (await generateX25519Identity()).identity;
  const bob = (await generateX25519Identity()).identity;
  const server = (await generateX25519Identity()).identity;
  const payload = grantPayload();
  const sealed = await sealGrant(alice, bob.publicKey, payload);
  assert.deepEqual(await openGrant(bob, alice.publicKey, sealed, NODE, 'bob'), payload);
  const forged = await sealGrant(server, bob.publicKey, payload);
  await assertRefused(openGrant(bob, alice.publicKey, forged, NODE, 'bob'), 'integrity', 'forged');
  await assertRefused(openGrant(server, alice.publicKey, sealed, NODE, 'bob'), 'integrity', 'another opener');
  for (const at of [3, 40, sealed.length - 1]) {
    const tampered = sealed.slice();
    tampered[at] ^= 1;
    await assertRefused(openGrant(bob, alice.publicKey, tampered, NODE, 'bob'), 'integrity', `byte ${at}`);
  }
  await assertRefused(openGrant(bob, alice.publicKey, sealed.subarray(0, 80), NODE, 'bob'), 'integrity', 'short');
  await assertRefused(openGrant(bob, alice.publicKey.subarray(1), sealed, NODE, 'bob'), 'integrity', 'short key');
});

test('malformed grantee keys and impossible payloads are refused before sealing', async () => {
  const alice = (await generateX25519Identity()).identity;
  await assertRefused(sealGrant(alice, new Uint8Array(31).fill(9), grantPayload()), 'invalid_argument', '31 bytes');
  await assertRefused(sealGrant(alice, new Uint8Array(32), grantPayload()), 'invalid_argument', 'u = 0, low order');
  const bob = (await generateX25519Identity()).identity;
  for (const change of [{ owner: '' }, { grantee: 'x'.repeat(65) }, { name: utf8('a/b') }, { nodeId: '' }]) {
    await assertRefused(sealGrant(alice, bob.publicKey, { ...grantPayload(), ...change }), 'invalid_argument', JSON.stringify(change));
  }
});

test('X25519 private keys must be 32 bytes', async () => {
  await assertRefused(x25519IdentityFromPrivate(new Uint8Array(31)), 'invalid_argument');
});

test('sealed entries: round trip, and refused under a swapped binding or key', async () => {
  const parent = randomBytes(32);
  const nodeKey = randomBytes(32);
  const binding = { parentId: NODE, nodeId: 'ffeeddccbbaa99887766554433221100', nameTag: 'ab'.repeat(32) };
  const sealed = await sealEntryKey(parent, binding, nodeKey);
  assert.deepEqual(await openEntryKey(parent, binding, sealed), nodeKey);
  await assertRefused(openEntryKey(randomBytes(32), binding, sealed), 'integrity');
  await assertRefused(openEntryKey(parent, { ...binding, nameTag: 'cd'.repeat(32) }, sealed), 'integrity');
  await assertRefused(sealEntryKey(parent, { ...binding, nameTag: 'AB'.repeat(32) }, nodeKey), 'invalid_argument');
  await assertRefused(() => tokenMac(sealed.subarray(0, 72)), 'integrity');
  assert.deepEqual(tokenMac(sealed), sealed.subarray(sealed.length - 32));
});

test('manifests and attribute records: round trip; impossible ones are refused before sealing', async () => {
  const key = randomBytes(32);
  const manifest = {
    nodeId: NODE, version: 3n, size: 10_000n, chunkSize: 4096,
    chunks: [{ id: randomBytes(32), mac: randomBytes(32), dataBlocks: 1 }, null, { id: randomBytes(32), mac: randomBytes(32), dataBlocks: 1 }],
    attributes: { ...emptyAttributes(), xattrs: [[utf8('user.z'), utf8('1')], [utf8('user.a'), new Uint8Array(0)]] },
  };
  const opened = await openManifest(key, NODE, await sealManifest(key, manifest));
  assert.deepEqual(opened.attributes.xattrs.map(([name]) => new TextDecoder().decode(name)), ['user.a', 'user.z']);
  assert.deepEqual(opened.chunks, manifest.chunks);
  await assertRefused(openManifest(key, 'another', await sealManifest(key, manifest)), 'integrity');
  const impossible = {
    'wrong count': { chunks: manifest.chunks.slice(0, 2) },
    'chunk size 0': { chunkSize: 0 },
    'chunk size above 64 MiB': { chunkSize: 64 * 2 ** 20 + 1, chunks: [manifest.chunks[0]] },
    'two data blocks in 1808 bytes': { chunks: [manifest.chunks[0], null, { ...manifest.chunks[2], dataBlocks: 2 }] },
    'duplicate xattr': { attributes: { ...emptyAttributes(), xattrs: [[utf8('a'), utf8('')], [utf8('a'), utf8('')]] } },
    'nanoseconds 10^9': { attributes: { ...emptyAttributes(), mtime: { sec: 0n, nsec: 1e9 } } },
    'symlink target of 4096 bytes': { attributes: { ...emptyAttributes(), symlinkTarget: new Uint8Array(4096) } },
  };
  for (const [name, change] of Object.entries(impossible)) {
    await assertRefused(sealManifest(key, { ...manifest, ...change }), 'invalid_argument', name);
  }
  const record = { nodeId: NODE, revision: 2n ** 64n - 1n, attributes: emptyAttributes() };
  assert.deepEqual(await openAttributeRecord(key, NODE, await sealAttributeRecord(key, record)), record);
});

test('chunks: holes, data blocks, and a swapped, truncated or foreign chunk refused', async () => {
  const fileKey = await importFernetKey(randomBytes(32));
  assert.equal(await encryptChunkOrHole(fileKey, new Uint8Array(1 << 20)), null);
  const piece = new Uint8Array(3 * 4096 + 5);
  piece[4096] = 1;
  piece[3 * 4096 + 4] = 1;
  assert.equal(countDataBlocks(piece), 2);
  const a = await encryptChunk(fileKey, piece);
  const b = await encryptChunk(fileKey, randomBytes(100));
  assert.equal(a.dataBlocks, 2);
  assert.deepEqual(await decryptChunk(fileKey, a.mac, a.stored), piece);
  await assertRefused(decryptChunk(fileKey, a.mac, b.stored), 'integrity', 'swapped');
  await assertRefused(decryptChunk(fileKey, a.mac, a.stored.subarray(0, 72)), 'integrity', 'truncated');
  const flipped = a.stored.slice();
  flipped[40] ^= 1;
  await assertRefused(decryptChunk(fileKey, a.mac, flipped), 'integrity', 'flipped');
  const foreign = await encryptChunk(await importFernetKey(randomBytes(32)), piece);
  await assertRefused(decryptChunk(fileKey, foreign.mac, foreign.stored), 'integrity', 'foreign');
});

test('the folder commitment counts entries, replaces leaves and refuses malformed tags', async () => {
  const set = new FolderCommitment();
  const tag = '00'.repeat(32);
  set.set(tag, new Uint8Array(32));
  const one = hexEncode(await set.digest());
  set.set(tag, new Uint8Array(32).fill(1));
  assert.equal(set.size, 1);
  assert.notEqual(hexEncode(await set.digest()), one);
  assert.deepEqual(set.find(tag), new Uint8Array(32).fill(1));
  set.erase(tag);
  set.erase(tag);
  assert.equal(set.size, 0);
  assert.equal(hexEncode(await set.digest()), '3eb1cf60f3703792d5bc4e0233912cb585b1a9f279223f80edc4e0f5a20375c0');
  await assertRefused(() => set.set('AB'.repeat(32), new Uint8Array(32)), 'invalid_argument');
  await assertRefused(() => set.set(tag, new Uint8Array(31)), 'invalid_argument');
});

test('data blocks: the word-wise count equals a byte-wise one for sparse bytes at every alignment', () => {
  const byteWise = (bytes) => {
    let blocks = 0;
    for (let at = 0; at < bytes.length; at += 4096) blocks += bytes.subarray(at, at + 4096).some((b) => b !== 0) ? 1 : 0;
    return blocks;
  };
  const buffer = new Uint8Array(5 * 4096 + 11);
  for (const at of [0, 3, 4095, 4096, 8191, 5 * 4096 + 10]) {
    buffer.fill(0);
    buffer[at] = 7;
    for (const offset of [0, 1, 2, 3, 4]) {
      const view = buffer.subarray(offset);
      assert.equal(countDataBlocks(view), byteWise(view), `byte ${at}, offset ${offset}`);
    }
  }
  assert.equal(countDataBlocks(new Uint8Array(0)), 0);
  assert.equal(countDataBlocks(new Uint8Array(4097).fill(1)), 2);
});
