// The C++ client's golden vectors, copied with their sources, so the browser module opens what
// the C++ client sealed and encodes exactly the bytes it encodes:
//   tests/shared/crypto/golden_test.cpp         (records: manifest, attribute records, entry, folder)
//   tests/shared/crypto/record_test_support.hpp (the sample records those encode)
//   tests/shared/crypto/keys_test.cpp           (subkeys, wrapped key, name, tags, X25519, bundle, fingerprint)
//   tests/shared/crypto/grant_seal_test.cpp     (sealed grant)
//   tests/shared/crypto/kdf_test.cpp            (login keys)
//   tests/shared/crypto/fernet_vectors_test.cpp (the Fernet spec's generate/invalid vectors)
import './webcrypto.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { base64urlDecode, base64urlEncode } from '../../web/js/crypto/base64url.js';
import { utf8 } from '../../web/js/crypto/bytes.js';
import { decodeAttributeRecord, encodeAttributeRecord, openAttributeRecord } from '../../web/js/crypto/attribute_record.js';
import { decodeEntryRecord, encodeEntryRecord, openEntryKey } from '../../web/js/crypto/entry_seal.js';
import { fernetDecrypt, fernetDecryptRaw, fernetEncryptRawWithIv, importFernetKey } from '../../web/js/crypto/fernet.js';
import { keyFingerprint } from '../../web/js/crypto/fingerprint.js';
import { decodeFolderRecord, encodeFolderRecord, openFolderRecord, sealFolderRecord } from '../../web/js/crypto/folder_record.js';
import { FolderCommitment } from '../../web/js/crypto/folder_commitment.js';
import { openGrant } from '../../web/js/crypto/grant_seal.js';
import { hexDecode, hexEncode } from '../../web/js/crypto/hex.js';
import { deriveLoginKeys } from '../../web/js/crypto/kdf.js';
import { openKeyBundle } from '../../web/js/crypto/key_bundle.js';
import { unwrapKey } from '../../web/js/crypto/key_wrap.js';
import { decodeManifest, encodeManifest, openManifest, sealManifest } from '../../web/js/crypto/manifest.js';
import { decryptName, nameTag } from '../../web/js/crypto/names.js';
import { deriveSubkeyBytes, fernetSubkey, KeyPurpose } from '../../web/js/crypto/subkeys.js';
import { x25519IdentityFromPrivate } from '../../web/js/crypto/x25519.js';
import { assertRefused } from './refusal.mjs';

const key = (text) => base64urlDecode(text);
const PARENT_KEY = key('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8='); // also record_key()
const CHILD_KEY = key('ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgoM='); // also entry_node_key()
const NODE_ID = '00112233445566778899aabbccddeeff';
const ALICE_PRIVATE = '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a';
const ALICE_PUBLIC = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
const BOB_PRIVATE = '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb';
const BOB_PUBLIC = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';

const time = (sec, nsec) => ({ sec: BigInt(sec), nsec });
const noAttributes = { mode: 0, uid: 0, gid: 0, rdev: 0n, xattrs: [], symlinkTarget: new Uint8Array(0) };
const filled = (byte) => new Uint8Array(32).fill(byte);

// record_test_support.hpp
const sampleManifest = () => ({
  nodeId: NODE_ID,
  version: 7n,
  size: 2_500_000n,
  chunkSize: 1 << 20,
  chunks: [{ id: filled(0x11), mac: filled(0xa1), dataBlocks: 256 }, null, { id: filled(0x33), mac: filled(0xa3), dataBlocks: 7 }],
  attributes: {
    ...noAttributes,
    mode: 0o100644,
    uid: 1000,
    gid: 1000,
    atime: time(1_700_000_000, 123_456_789),
    mtime: time(1_700_000_001, 5),
    ctime: time(-1, 999_999_999),
    xattrs: [
      [utf8('user.b'), new Uint8Array(0)],
      [utf8('user.a'), utf8('1')],
    ],
  },
});
const sampleSymlinkRecord = () => ({
  nodeId: NODE_ID,
  revision: 3n,
  attributes: { ...noAttributes, mode: 0o120777, atime: time(0, 0), mtime: time(1, 1), ctime: time(2, 2), symlinkTarget: utf8('../target') },
});
const sampleDeviceRecord = () => ({
  nodeId: NODE_ID,
  revision: 9n,
  attributes: {
    ...noAttributes,
    mode: 0o20620,
    gid: 5,
    rdev: 0x0102030405060708n,
    atime: time(1_700_000_000, 1),
    mtime: time(1_700_000_000, 2),
    ctime: time(1_700_000_000, 3),
  },
});
const sampleEntryBinding = () => ({
  parentId: 'aabbccddeeff00112233445566778899',
  nodeId: '0123456789abcdef0123456789abcdef',
  nameTag: '5c1f0a1e0d1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5',
});
const sampleFolderRecord = () => ({ nodeId: NODE_ID, revision: 41n, entryCount: 3n, commitment: new Uint8Array(32).fill(0x5a) });

// golden_test.cpp
const MANIFEST_PLAINTEXT =
  '4d0300203030313132323333343435353636373738383939616162626363646465656666000000000000000700000000002625a00010' +
  '000000000003011111111111111111111111111111111111111111111111111111111111111111a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1' +
  'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a100000100000133333333333333333333333333333333333333333333333333333333333333' +
  '33a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a300000007000081a4000003e8000003e80000000000' +
  '000000000000006553f100075bcd15000000006553f10100000005ffffffffffffffff3b9ac9ff000000020006757365722e61000000' +
  '01310006757365722e620000000000000000';
const MANIFEST_TOKEN =
  '80000000006553f100424242424242424242424242424242425901403903cefc401787169d630913ddd743e495494f63041a39ebcb6e' +
  'fa20e8262d4dfd097f201b8b4b0e4ca2b63f8846e8ac69449834041c09e8a41f12d9b182ccbf6da06b71e3464415d18479553468d1bd' +
  'e65a2148fe26e04319414520c9b61b86a02f51dfc97f258c1fa7656377e2cb4418dbdb16c1a9749d553ec9086c579caade780fb94b21' +
  '9196b807723b715ac148bf4967963420728ba128a59bad9ed4ca28938af104c47243f2e5bcccc8f653a3196482a323cf0315d9449ae1' +
  'b971d3f1a57c5616b54f3dbb7434d16c880d1a16146fc88626b8615b09c00b67e818fee5cf0ee0fd16b4d451084b5cd653275582f6fe' +
  '00df743a9193191e4cd892ebbc03ccdf3f7d4671b5f5ce4e6e0332fdb2bc53f9aba492c5bf2f3fed26de55f36c21d017272a579c0675' +
  '794d91a8157725cf769c10668c38aef84ee96601d7d50ef17817e9e83aa4dccfe893cf8295';
const ATTRIBUTE_PLAINTEXT =
  '41020020303031313232333334343535363637373838393961616262636364646565666600000000000000030000a1ff000000000000' +
  '000000000000000000000000000000000000000000000000000000000001000000010000000000000002000000020000000000000009' +
  '2e2e2f746172676574';
const ATTRIBUTE_TOKEN =
  '80000000006553f1004242424242424242424242424242424245d03a3db17c7e3bd8332e79b05085d9629123a7937f3ef4add172fedb' +
  'd61781ece3bd414d3e42c7d8677726c43a4a02119d99a8e75775db5ec49b50f286642a4956613dfe06151d70626f1f4f401342d3a5d9' +
  'ee3227fe12b53e329b9f6eba6f5dfee038e42012d5aea78e8238296d928ac8be70fd679fa4a42cc896ecd43d09a56227892bfb72d1fe' +
  '979f91858c8007c519c726d386393d142faac0e0162004';
const DEVICE_PLAINTEXT =
  '410200203030313132323333343435353636373738383939616162626363646465656666000000000000000900002190000000000000' +
  '00050102030405060708000000006553f10000000001000000006553f10000000002000000006553f100000000030000000000000000';
const DEVICE_TOKEN =
  '80000000006553f1004242424242424242424242424242424245d03a3db17c7e3bd8332e79b05085d9629123a7937f3ef4add172fedb' +
  'd6178106bd6b02ad84b462f7f9b4f3308880f5d9905809c1330f95e27fb7d020538b6ecee6b3546ee4995362906f2c0a7274b5255d19' +
  '02c3d980078c78551023418b94506b5792dcaf7c84e33df94f58d4e9bb7da03c3e7e2cfd5128e4ad8d03e2828a121772ff1516aefd49' +
  '972fe56d2bcebe';
const ENTRY_PLAINTEXT =
  '450200206161626263636464656566663030313132323333343435353636373738383939002030313233343536373839616263646566' +
  '303132333435363738396162636465665c1f0a1e0d1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5646566676869' +
  '6a6b6c6d6e6f707172737475767778797a7b7c7d7e7f80818283';
const ENTRY_TOKEN =
  '80000000006553f10042424242424242424242424242424242bf748ba5c197fd27ac7ebaca8ec446f48cc795d805e522696722b8d197' +
  '5650e45271a0dc1516e634e452e27885667af587bd68af734a5461eb857aa55b05ba931e656bb4368d8cba4e2cfa50eb698b4c471d69' +
  'e5c177dfd21efca70156f18c1c660f8855a11b1658db105175cb3e3844556be74d9818e5dea978309d7634aa15d2139a99e45291c899' +
  '28513afa4f013f95fed29ff80bbca07fdca53cfda809d1e15a97da050965a15b5bb6ed3f6c3b80';
const FOLDER_PLAINTEXT =
  '460200203030313132323333343435353636373738383939616162626363646465656666000000000000002900000000000000035a5a' +
  '5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a';
const FOLDER_TOKEN =
  '80000000006553f10042424242424242424242424242424242c0dfa4d9c703defc2cb2a2a4ed84e23a65b901b24405a9ae3e5c1b05f4' +
  'b1e92d50061abe5f36e865ecb0c8875012344ef00a1762ecc922d208893610f2b07f2aefd98e594131481e9f6638a7470762d2cd5d25' +
  '8e5517d34e9027ef756264107a2d9e629200fce48a0a9bcef30fad2becc3e281c9863a93d64b299692962b9d88';

/** A record decoded: xattrs in the encoding's order, for comparison with a sample. */
const sortedXattrs = (record) => ({ ...record, xattrs: [...record.xattrs].sort(([a], [b]) => Buffer.compare(a, b)) });

test('golden manifest: encoding, decoding, opening, and a new seal of the same plaintext', async () => {
  const manifest = sampleManifest();
  assert.equal(hexEncode(encodeManifest(manifest)), MANIFEST_PLAINTEXT);
  const expected = { ...manifest, attributes: sortedXattrs(manifest.attributes) };
  assert.deepEqual(decodeManifest(hexDecode(MANIFEST_PLAINTEXT)), expected);
  assert.deepEqual(await openManifest(PARENT_KEY, NODE_ID, hexDecode(MANIFEST_TOKEN)), expected);
  const resealed = await sealManifest(PARENT_KEY, manifest);
  const subkey = await fernetSubkey(PARENT_KEY, KeyPurpose.manifest);
  assert.equal(hexEncode(await fernetDecryptRaw(subkey, resealed)), MANIFEST_PLAINTEXT);
  await assertRefused(openManifest(PARENT_KEY, '0123456789abcdef0123456789abcdef', hexDecode(MANIFEST_TOKEN)), 'integrity');
  await assertRefused(openManifest(CHILD_KEY, NODE_ID, hexDecode(MANIFEST_TOKEN)), 'integrity');
});

test('golden attribute records (a symlink, a device node)', async () => {
  for (const [record, plaintext, token] of [
    [sampleSymlinkRecord(), ATTRIBUTE_PLAINTEXT, ATTRIBUTE_TOKEN],
    [sampleDeviceRecord(), DEVICE_PLAINTEXT, DEVICE_TOKEN],
  ]) {
    assert.equal(hexEncode(encodeAttributeRecord(record)), plaintext);
    assert.deepEqual(decodeAttributeRecord(hexDecode(plaintext)), record);
    assert.deepEqual(await openAttributeRecord(PARENT_KEY, NODE_ID, hexDecode(token)), record);
  }
  // A record of one kind never opens as another: the subkeys differ.
  await assertRefused(openFolderRecord(PARENT_KEY, NODE_ID, hexDecode(ATTRIBUTE_TOKEN)), 'integrity');
});

test('golden folder record', async () => {
  const record = sampleFolderRecord();
  assert.equal(hexEncode(encodeFolderRecord(record)), FOLDER_PLAINTEXT);
  assert.deepEqual(decodeFolderRecord(hexDecode(FOLDER_PLAINTEXT)), record);
  assert.deepEqual(await openFolderRecord(PARENT_KEY, NODE_ID, hexDecode(FOLDER_TOKEN)), record);
  const subkey = await fernetSubkey(PARENT_KEY, KeyPurpose.folder);
  assert.equal(hexEncode(await fernetDecryptRaw(subkey, await sealFolderRecord(PARENT_KEY, record))), FOLDER_PLAINTEXT);
});

test('golden sealed entry: encoding and opening with its binding, refused with any other', async () => {
  assert.equal(hexEncode(encodeEntryRecord(sampleEntryBinding(), CHILD_KEY)), ENTRY_PLAINTEXT);
  const decoded = decodeEntryRecord(hexDecode(ENTRY_PLAINTEXT));
  assert.deepEqual(decoded, { binding: sampleEntryBinding(), nodeKey: CHILD_KEY });
  assert.deepEqual(await openEntryKey(PARENT_KEY, sampleEntryBinding(), hexDecode(ENTRY_TOKEN)), CHILD_KEY);
  for (const change of [{ parentId: NODE_ID }, { nodeId: NODE_ID }, { nameTag: 'ab'.repeat(32) }]) {
    await assertRefused(openEntryKey(PARENT_KEY, { ...sampleEntryBinding(), ...change }, hexDecode(ENTRY_TOKEN)), 'integrity');
  }
});

test('subkeys are HKDF-SHA256 with their documented info strings (keys_test.cpp)', async () => {
  const expected = {
    nameEncryption: '43d6da9335275177ba4d2e4e36c17c907d200e3a8b449c5a5f9ddd5789d9cd70',
    nameTag: '793ace40b3ca57e91a1a6c378e18f7ec717aadba51793d747492caf5f70c0f0c',
    keyWrapping: 'a35994e68ae3fce211f4bb8e26812f644efc037c665eb5cb7dd793e716116c12',
    manifest: '3915e59c1c19e4a73cf0b721b4b9d246c1556e592860e671daec2a008135bee7',
    attributes: '580d8fd02c02ad9ff4d5227b40a98f97eb30a309ec30891cabf9245648aa3979',
    entry: '75d3a96c3e33f5a826a216ffb971ba4033b9b75fc446263b5ce56589f343469d',
    folder: 'f4399f358353082623a59a6806572f373079b94197227805be9730429b1427ff',
  };
  for (const [purpose, hex] of Object.entries(expected)) {
    assert.equal(hexEncode(await deriveSubkeyBytes(PARENT_KEY, KeyPurpose[purpose])), hex, purpose);
  }
});

test('golden wrapped key, name token and name tags (keys_test.cpp)', async () => {
  const wrapped = hexDecode(
    '80000000006553f1004242424242424242424242424242424266960ac2fb19abe47898f7a75557f456e9b5cd0c293a1429a2c3ba20ec' +
      '0acc9c9ce1bce5c21290bfb041e1ec2a8be244ab2867f8648d761d9ee60d6ffd6029964154c3dfb873f2d7794f7e0f9f590d3c',
  );
  assert.deepEqual(await unwrapKey(PARENT_KEY, wrapped), CHILD_KEY);
  await assertRefused(unwrapKey(CHILD_KEY, wrapped), 'integrity');
  const nameToken = 'gAAAAABlU_EAQkJCQkJCQkJCQkJCQkJCQhGfDLppb3t6HIHg9jt8NZS2pkga8Q1KH-4RgoOguBZukjGCSGRv8y1TP0dsZrzROg==';
  assert.deepEqual(await decryptName(PARENT_KEY, nameToken), utf8('report.txt'));
  assert.equal(await nameTag(PARENT_KEY, 'report.txt'), '85d54423ea75719526ea0b92136b5b7118b20710b6642653c9a4a9179529c753');
  assert.equal(await nameTag(PARENT_KEY, 'Grüße.md'), '4897ba947a2acda6809b4253f422ac07032df62c87fb914a3ad80bbe9c394d26');
});

test('X25519 derives RFC 7748 public keys; the golden bundle opens; fingerprints (keys_test.cpp)', async () => {
  assert.equal(hexEncode((await x25519IdentityFromPrivate(hexDecode(ALICE_PRIVATE))).publicKey), ALICE_PUBLIC);
  const kek = key('yMnKy8zNzs_Q0dLT1NXW19jZ2tvc3d7f4OHi4-Tl5uc=');
  const bundle = hexDecode(
    '80000000006553f10042424242424242424242424242424242d95078f72766941b19586bfbadd637f41e1a3be85fc6537f686bd768f7' +
      '83468d9de043048b102571330c68fb07fa77f3ad4d92f06b45bc9cb8bb59a2d5ae7379c2498e2fa509fd9f0f34c84d58bc5efac9fd7c' +
      '97e082a1abe7768ed64045cf848e41e44180ab4d857f4c87c602bc8185',
  );
  const opened = await openKeyBundle(kek, bundle);
  assert.deepEqual(opened.masterKey, PARENT_KEY);
  assert.equal(hexEncode(opened.identity.publicKey), BOB_PUBLIC);
  await assertRefused(openKeyBundle(PARENT_KEY, bundle), 'integrity');
  assert.equal(await keyFingerprint(hexDecode(BOB_PUBLIC)), 'f35e 5616 160a 30bf 3c6e 79fa 73c5 76d4');
});

test('the golden sealed grant opens for bob from alice, and for nobody else (grant_seal_test.cpp)', async () => {
  const golden = hexDecode(
    '7b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f1380000000006553f1004242424242424242424242424242' +
      '42421d62140fd183613b9f9b33a9b042310406fff3352e314696b0156f8a26aa41e2187a52f754b7d7c7d62b276e5cafaf060bc8b8586' +
      '2058e2146abefa8aa3cdf4ad3b500e9a1fd402ed0b785a14024e22f5ce39cbf750d331ad4b72cae75b1c3c7be605193e94866bbc8a78a' +
      '365c28098700b50155e5b91cf21f3818971a49557ad3e7d4018184339fb9e28cbffbc3cc9d',
  );
  const node = '0123456789abcdef0123456789abcdef';
  const bob = await x25519IdentityFromPrivate(hexDecode(BOB_PRIVATE));
  const alice = await x25519IdentityFromPrivate(hexDecode(ALICE_PRIVATE));
  const opened = await openGrant(bob, alice.publicKey, golden, node, 'bob');
  assert.deepEqual(opened, { nodeId: node, owner: 'alice', grantee: 'bob', name: utf8('Holiday photos'), isFolder: true, key: CHILD_KEY });
  await assertRefused(openGrant(bob, alice.publicKey, golden, node, 'carol'), 'integrity');
  await assertRefused(openGrant(bob, alice.publicKey, golden, 'fedcba9876543210fedcba9876543210', 'bob'), 'integrity');
  await assertRefused(openGrant(alice, alice.publicKey, golden, node, 'bob'), 'integrity');
  await assertRefused(openGrant(bob, bob.publicKey, golden, node, 'bob'), 'integrity');
});

test('login keys match the independent derivation of kdf_test.cpp', async () => {
  const params = { algorithm: 'scrypt', n: 2 ** 14, r: 8, p: 1, salt: hexDecode('000102030405060708090a0b0c0d0e0f') };
  const keys = await deriveLoginKeys('correct horse battery staple', params);
  assert.equal(hexEncode(keys.authKey), '6ac3f35a6c253de4a4f53267b4e92f975d1bf178f6f48ff62b075428bc0b832f');
  assert.equal(base64urlEncode(keys.kek), 'kivFAfx0KlNCr1xK7crLZRYGcpBG-AsOmv9vgwRCDjU=');
});

test('the empty folder commitment is the documented constant (docs/crypto.md 12.6)', async () => {
  assert.equal(hexEncode(await new FolderCommitment().digest()), '3eb1cf60f3703792d5bc4e0233912cb585b1a9f279223f80edc4e0f5a20375c0');
});

// fernet_vectors_test.cpp: the Fernet specification's vectors.
const SPEC_SECRET = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';
const HELLO_TOKEN = 'gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==';
// The TTL cases (far-future and expired) are left out: Coffer decrypts without a TTL.
const SPEC_INVALID = {
  'incorrect mac': 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykQUFBQUFBQUFBQQ==',
  'too short': 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPA==',
  'invalid base64': '%%%%%%%%%%%%%AECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==',
  'payload size not multiple of block size': 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPOm73QeoCk9uGib28Xe5vz6oxq5nmxbx_v7mrfyudzUm',
  'payload padding error': 'gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0ODz4LEpdELGQAad7aNEHbf-JkLPIpuiYRLQ3RtXatOYREu2FWke6CnJNYIbkuKNqOhw==',
  'incorrect IV (causes padding error)': 'gAAAAAAdwJ6xBQECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAkLhFLHpGtDBRLRTZeUfWgHSv49TF2AUEZ1TIvcZjK1zQ==',
  'trailing characters after b64 padding': `${HELLO_TOKEN}trailingdata`,
  'invalid characters in b64': '*gAAAAAAdwJ6wAAECAwQFBgcI!CQoLDA0ODy021?cpGVWKZ_eEwC@GM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==',
  'invalid non-urlsafe characters in b64': 'gAAAAAAdwJ6wAAEC/AwQFBgcICQoLDA0ODy+021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==',
};

test("the Fernet spec's generate and verify vectors", async () => {
  const fernetKey = await importFernetKey(key(SPEC_SECRET));
  const iv = Uint8Array.from({ length: 16 }, (_, i) => i);
  assert.equal(base64urlEncode(await fernetEncryptRawWithIv(fernetKey, utf8('hello'), 499162800, iv)), HELLO_TOKEN);
  assert.deepEqual(await fernetDecrypt(fernetKey, HELLO_TOKEN), utf8('hello'));
});

test("every invalid vector of the Fernet spec that does not depend on a TTL is refused", async () => {
  const fernetKey = await importFernetKey(key(SPEC_SECRET));
  for (const [description, token] of Object.entries(SPEC_INVALID)) {
    await assertRefused(fernetDecrypt(fernetKey, token), 'invalid_token', description);
  }
});
