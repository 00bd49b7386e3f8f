// web/js/crypto/link_seal.js against the link vectors of vectors.json, made by Python's
// `cryptography` from docs/crypto.md "Links" (make_vectors.py): the same ikm, seal key,
// plaintext and URL bytes; every link Python sealed opens (with its password, never without);
// every planted defect is refused as integrity.
import './webcrypto.mjs';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { base64urlDecode, base64urlEncode } from '../../web/js/crypto/base64url.js';
import { hexDecode, hexEncode } from '../../web/js/crypto/hex.js';
import {
  encodeLinkTarget,
  linkIkm,
  linkKdfParamsFromJson,
  linkSealKey,
  linkSealKeyBytes,
  linkUrl,
  newLinkId,
  newLinkSecret,
  openLinkKey,
  openLinkLabel,
  parseLinkUrl,
  sealLinkKey,
  sealLinkLabel,
} from '../../web/js/crypto/link_seal.js';
import { deriveSubkeyBytes, KeyPurpose } from '../../web/js/crypto/subkeys.js';
import { assertRefused } from './refusal.mjs';

const V = JSON.parse(readFileSync(new URL('./vectors.json', import.meta.url), 'utf8')).links;

/** @param {any} link */
async function ikmOf(link, password = link.password) {
  const params = link.password_object ? linkKdfParamsFromJson(link.password_object) : null;
  return linkIkm(base64urlDecode(link.secret), password, params);
}

test('links: ikm, seal key, plaintext and URL are the bytes Python made', async () => {
  for (const link of V.links) {
    const ikm = await ikmOf(link);
    assert.equal(hexEncode(ikm), link.ikm, link.kind);
    assert.equal(hexEncode(await linkSealKeyBytes(ikm, base64urlDecode(link.link_id))), link.seal_key);
    const target = { kind: link.kind, nodeId: link.node_id, key: base64urlDecode(link.node_key) };
    assert.equal(hexEncode(encodeLinkTarget(target)), link.plaintext);
    assert.equal(linkUrl(link.base_url, base64urlDecode(link.link_id), base64urlDecode(link.secret)), link.url);
    const parsed = parseLinkUrl(link.url);
    assert.equal(parsed.linkId, link.link_id);
    assert.equal(base64urlEncode(parsed.secret), link.secret);
  }
});

test('links: what Python sealed opens with the URL and password, and a JS seal opens back', async () => {
  for (const link of V.links) {
    const sealKey = await linkSealKey(await ikmOf(link), base64urlDecode(link.link_id));
    const opened = await openLinkKey(sealKey, base64urlDecode(link.sealed_key), { kind: link.kind, nodeId: link.node_id });
    assert.deepEqual([opened.kind, opened.nodeId, base64urlEncode(opened.key)], [link.kind, link.node_id, link.node_key]);
    const resealed = await sealLinkKey(sealKey, opened);
    const again = await openLinkKey(sealKey, resealed, { kind: link.kind, nodeId: link.node_id });
    assert.equal(base64urlEncode(again.key), link.node_key);
  }
});

test('links: a wrong password, no password, or another URL secret is integrity', async () => {
  for (const link of V.links.filter((l) => l.password !== null)) {
    const expected = { kind: link.kind, nodeId: link.node_id };
    const sealed = base64urlDecode(link.sealed_key);
    const linkId = base64urlDecode(link.link_id);
    const wrong = await linkSealKey(await ikmOf(link, `${link.password}x`), linkId);
    await assertRefused(openLinkKey(wrong, sealed, expected), 'integrity', 'wrong password', [link.node_key]);
    const none = await linkSealKey(await linkIkm(base64urlDecode(link.secret)), linkId);
    await assertRefused(openLinkKey(none, sealed, expected), 'integrity', 'no password');
  }
  const link = V.links[0];
  const other = await linkSealKey(await linkIkm(newLinkSecret()), base64urlDecode(link.link_id));
  await assertRefused(openLinkKey(other, base64urlDecode(link.sealed_key), { kind: link.kind, nodeId: link.node_id }),
    'integrity', 'another secret');
});

test('links: every defect Python planted is refused as integrity', async () => {
  const link = V.links[0];
  const sealKey = await linkSealKey(await ikmOf(link), base64urlDecode(link.link_id));
  for (const [defect, token] of Object.entries(V.refused)) {
    await assertRefused(openLinkKey(sealKey, hexDecode(token), { kind: 'file', nodeId: link.node_id }), 'integrity', defect,
      [link.node_key, link.secret]);
  }
});

test('link labels: Python labels open to their paths; JS labels open back; the subkey matches', async () => {
  const master = base64urlDecode(V.labels.master_key);
  assert.equal(hexEncode(await deriveSubkeyBytes(master, KeyPurpose.linkLabel)), V.labels.subkey);
  for (const { path, label } of V.labels.items) {
    assert.equal(await openLinkLabel(master, base64urlDecode(label)), path);
    assert.equal(await openLinkLabel(master, await sealLinkLabel(master, path)), path);
  }
  await assertRefused(openLinkLabel(newLinkSecret(), base64urlDecode(V.labels.items[0].label)), 'integrity', 'other master');
});

test('link URLs: malformed ones are invalid_argument; %3D is read as =', async () => {
  const id = newLinkId();
  const secret = newLinkSecret();
  const url = linkUrl('https://h/', id, secret);
  assert.ok(url.startsWith('https://h/l/'));
  assert.equal(base64urlEncode(parseLinkUrl(url.replaceAll('=', '%3D')).secret), base64urlEncode(secret));
  for (const bad of ['https://h/l/abc', 'https://h/x/' + url.split('/l/')[1], url.replace('#', '#AA'), url + '!']) {
    await assertRefused(() => parseLinkUrl(bad), 'invalid_argument', bad);
  }
  await assertRefused(() => linkIkm(new Uint8Array(31)), 'invalid_argument', 'short secret');
  await assertRefused(() => encodeLinkTarget({ kind: 'file', nodeId: 'ABC', key: new Uint8Array(32) }), 'invalid_argument');
});
