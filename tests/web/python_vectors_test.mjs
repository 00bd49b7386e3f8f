// The browser crypto module against vectors.json, made by Python's `cryptography` from
// docs/crypto.md (make_vectors.py): everything Python sealed opens, encodes to Python's bytes,
// and every defect Python planted is refused with the documented code.
import './webcrypto.mjs';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { decodeAttributeRecord, encodeAttributeRecord, openAttributeRecord } from '../../web/js/crypto/attribute_record.js';
import { base64urlDecode, base64urlEncode } from '../../web/js/crypto/base64url.js';
import { utf8 } from '../../web/js/crypto/bytes.js';
import { chunkId, decryptChunk, encryptChunkOrHole } from '../../web/js/crypto/chunk.js';
import { decodeEntryRecord, encodeEntryRecord, openEntryKey, tokenMac } from '../../web/js/crypto/entry_seal.js';
import { fernetDecrypt, fernetDecryptRaw, importFernetKey } from '../../web/js/crypto/fernet.js';
import { keyFingerprint } from '../../web/js/crypto/fingerprint.js';
import { FolderCommitment } from '../../web/js/crypto/folder_commitment.js';
import { decodeFolderRecord, encodeFolderRecord, openFolderRecord } from '../../web/js/crypto/folder_record.js';
import { openGrant } from '../../web/js/crypto/grant_seal.js';
import { hexDecode, hexEncode } from '../../web/js/crypto/hex.js';
import { deriveLoginKeys, kdfParamsFromJson } from '../../web/js/crypto/kdf.js';
import { openKeyBundle } from '../../web/js/crypto/key_bundle.js';
import { unwrapKey, wrapKey } from '../../web/js/crypto/key_wrap.js';
import { decodeManifest, encodeManifest, openManifest } from '../../web/js/crypto/manifest.js';
import { decryptName, encryptName, nameTag } from '../../web/js/crypto/names.js';
import { deriveSubkeyBytes, KeyPurpose } from '../../web/js/crypto/subkeys.js';
import { x25519IdentityFromPrivate } from '../../web/js/crypto/x25519.js';
import { attributesFrom, entryBindingFrom, keyFrom, manifestFrom } from './record_json.mjs';
import { assertRefused } from './refusal.mjs';

const V = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8'));

test('base64url: the text Python gives for each byte string, both ways', () => {
  for (const { hex, text } of V.base64url) {
    assert.equal(base64urlEncode(hexDecode(hex)), text);
    assert.equal(hexEncode(base64urlDecode(text)), hex);
  }
});

test('Fernet: every token Python made decrypts; every planted defect is invalid_token', async () => {
  const key = await importFernetKey(keyFrom(V.fernet.key));
  for (const { plaintext, token } of V.fernet.valid) assert.equal(hexEncode(await fernetDecrypt(key, token)), plaintext);
  assert.equal(hexEncode(await fernetDecryptRaw(key, hexDecode(V.fernet.control.token))), V.fernet.control.plaintext);
  for (const [defect, token] of Object.entries(V.fernet.invalid)) {
    await assertRefused(fernetDecryptRaw(key, hexDecode(token)), 'invalid_token', defect, [V.fernet.key]);
  }
});

test('subkeys equal Python HKDF for every purpose', async () => {
  for (const { key, subkeys } of V.subkeys) {
    for (const [purpose, hex] of Object.entries(subkeys)) {
      assert.equal(hexEncode(await deriveSubkeyBytes(keyFrom(key), KeyPurpose[purpose])), hex, purpose);
    }
  }
});

test('login keys equal Python scrypt and HKDF, for UTF-8 and empty passwords and other r, p, salts', async () => {
  for (const vector of V.login) {
    const keys = await deriveLoginKeys(vector.password, kdfParamsFromJson(vector.kdf));
    assert.equal(hexEncode(keys.authKey), vector.auth_key, vector.password);
    assert.equal(base64urlEncode(keys.kek), vector.kek, vector.password);
  }
});

test("names: Python's tokens decrypt, tags match, and ours decrypt back; invalid plaintexts are refused", async () => {
  const parent = keyFrom(V.names.parent_key);
  for (const { name, token, tag } of V.names.names) {
    assert.deepEqual(await decryptName(parent, token), utf8(name));
    assert.equal(await nameTag(parent, name), tag);
    assert.deepEqual(await decryptName(parent, await encryptName(parent, name)), utf8(name));
  }
  for (const { hex, token } of V.names.invalid_plaintexts) await assertRefused(decryptName(parent, token), 'integrity', hex);
});

test('wrapped keys: Python wraps, we unwrap; a 31-byte plaintext is refused', async () => {
  for (const { wrapping_key: wrapping, key, wrapped } of V.wrapped_keys.valid) {
    assert.equal(base64urlEncode(await unwrapKey(keyFrom(wrapping), base64urlDecode(wrapped))), key);
    const ours = await wrapKey(keyFrom(wrapping), keyFrom(key));
    assert.equal(ours.length, 105);
    assert.equal(base64urlEncode(await unwrapKey(keyFrom(wrapping), ours)), key);
  }
  const { wrapping_key: wrapping, wrapped_31_bytes: short } = V.wrapped_keys.wrong_length;
  await assertRefused(unwrapKey(keyFrom(wrapping), base64urlDecode(short)), 'integrity');
});

test('key bundle: opens to the master key and the public key Python derived; other versions and lengths refused', async () => {
  const b = V.key_bundle;
  const opened = await openKeyBundle(keyFrom(b.kek), hexDecode(b.sealed));
  assert.equal(base64urlEncode(opened.masterKey), b.master_key);
  assert.equal(hexEncode(opened.identity.publicKey), b.public_key);
  await assertRefused(openKeyBundle(keyFrom(b.kek), hexDecode(b.wrong_version)), 'integrity');
  await assertRefused(openKeyBundle(keyFrom(b.kek), hexDecode(b.wrong_length)), 'integrity');
});

test('fingerprints equal Python SHA-256 grouped in fours', async () => {
  for (const { public_key: pub, fingerprint } of V.fingerprints) assert.equal(await keyFingerprint(hexDecode(pub)), fingerprint);
});

test('sealed grants Python made open with their payload; bad flags and names are refused', async () => {
  const g = V.grants;
  const grantee = await x25519IdentityFromPrivate(hexDecode(g.grantee_private));
  assert.equal(hexEncode(grantee.publicKey), g.grantee_public);
  const granterPublic = hexDecode(g.granter_public);
  for (const grant of g.grants) {
    const opened = await openGrant(grantee, granterPublic, hexDecode(grant.sealed), grant.node, 'bob');
    assert.deepEqual(opened, {
      nodeId: grant.node,
      owner: 'alice',
      grantee: 'bob',
      name: utf8(grant.name),
      isFolder: grant.is_folder,
      key: keyFrom(grant.key),
    });
  }
  await assertRefused(openGrant(grantee, granterPublic, hexDecode(g.flags_2), g.grants[0].node, 'bob'), 'integrity');
  await assertRefused(openGrant(grantee, granterPublic, hexDecode(g.name_with_slash), g.grants[0].node, 'bob'), 'integrity');
});

test('records Python sealed open, and encode to the same plaintexts', async () => {
  const r = V.records;
  const key = keyFrom(r.key);
  const manifest = manifestFrom(r.manifest.record);
  const sortedManifest = decodeManifest(hexDecode(r.manifest.plaintext));
  assert.equal(hexEncode(encodeManifest(manifest)), r.manifest.plaintext);
  assert.equal(hexEncode(encodeManifest(sortedManifest)), r.manifest.plaintext);
  assert.deepEqual(await openManifest(key, r.node, hexDecode(r.manifest.sealed)), sortedManifest);
  assert.equal(sortedManifest.version, 2n ** 53n + 1n);

  const record = { nodeId: r.node, revision: BigInt(r.attribute_record.record.revision), attributes: attributesFrom(r.attribute_record.record.attributes) };
  assert.equal(hexEncode(encodeAttributeRecord(record)), r.attribute_record.plaintext);
  assert.deepEqual(decodeAttributeRecord(hexDecode(r.attribute_record.plaintext)), record);
  assert.deepEqual(await openAttributeRecord(key, r.node, hexDecode(r.attribute_record.sealed)), record);

  const binding = entryBindingFrom(r.entry.record);
  assert.equal(hexEncode(encodeEntryRecord(binding, keyFrom(r.entry.record.node_key))), r.entry.plaintext);
  assert.deepEqual(decodeEntryRecord(hexDecode(r.entry.plaintext)).binding, binding);
  assert.equal(base64urlEncode(await openEntryKey(key, binding, hexDecode(r.entry.sealed))), r.entry.record.node_key);

  const folder = { nodeId: r.node, revision: 41n, entryCount: 3n, commitment: hexDecode(r.folder.record.commitment) };
  assert.equal(hexEncode(encodeFolderRecord(folder)), r.folder.plaintext);
  assert.deepEqual(decodeFolderRecord(hexDecode(r.folder.plaintext)), folder);
  assert.deepEqual(await openFolderRecord(key, r.node, hexDecode(r.folder.sealed)), folder);
});

test('records with planted defects are refused as integrity', async () => {
  const r = V.records;
  const key = keyFrom(r.key);
  const binding = entryBindingFrom(r.entry.record);
  const openers = {
    manifest: (sealed) => openManifest(key, r.node, sealed),
    'attribute record': (sealed) => openAttributeRecord(key, r.node, sealed),
    entry: (sealed) => openEntryKey(key, binding, sealed),
    'folder record': (sealed) => openFolderRecord(key, r.node, sealed),
  };
  for (const [defect, sealed] of Object.entries(r.refused)) {
    const kind = Object.keys(openers).find((name) => defect.startsWith(name));
    assert.ok(kind, defect);
    await assertRefused(openers[kind](hexDecode(sealed)), 'integrity', defect);
  }
});

test('folder commitments equal Python, built in any order and kept incrementally', async () => {
  for (const { leaves, commitment } of V.commitments) {
    const set = new FolderCommitment();
    for (const [tag, mac] of [...leaves].reverse()) set.set(tag, hexDecode(mac));
    assert.equal(hexEncode(await set.digest()), commitment);
    if (leaves.length === 0) continue;
    // A change and its undo: the cached buckets give the same digest as a fresh set.
    const [tag, mac] = leaves[0];
    set.erase(tag);
    assert.notEqual(hexEncode(await set.digest()), commitment);
    set.set(tag, hexDecode(mac));
    assert.equal(hexEncode(await set.digest()), commitment);
  }
});

test("chunks Python encrypted decrypt under the manifest's MAC; ids, MACs and data blocks match", async () => {
  const key = await importFernetKey(keyFrom(V.chunks.key));
  for (const c of V.chunks.chunks) {
    const stored = hexDecode(c.stored);
    assert.equal(hexEncode(await decryptChunk(key, hexDecode(c.mac), stored)), c.piece);
    assert.equal(hexEncode(tokenMac(stored)), c.mac);
    assert.equal(await chunkId(stored), c.id);
    const ours = await encryptChunkOrHole(key, hexDecode(c.piece));
    if (c.data_blocks === 0) {
      assert.equal(ours, null);
      continue;
    }
    assert.ok(ours);
    assert.equal(ours.dataBlocks, c.data_blocks);
    assert.equal(ours.id, await chunkId(ours.stored));
    assert.equal(hexEncode(await decryptChunk(key, ours.mac, ours.stored)), c.piece);
    // Another chunk's MAC: refused before any decryption.
    await assertRefused(decryptChunk(key, ours.mac, stored), 'integrity');
  }
});
