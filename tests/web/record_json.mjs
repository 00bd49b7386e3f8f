// Records in the JSON form of tests/interop/record_tool.cpp and tests/web/make_vectors.py
// (hex binary values, [seconds, nanoseconds] times, xattrs as {name: hex}), to and from the
// browser module's objects.
import { base64urlDecode, base64urlEncode } from '../../web/js/crypto/base64url.js';
import { utf8, utf8Text } from '../../web/js/crypto/bytes.js';
import { hexDecode, hexEncode } from '../../web/js/crypto/hex.js';

const timeFrom = ([sec, nsec]) => ({ sec: BigInt(sec), nsec });
const timeJson = (time) => [Number(time.sec), time.nsec];

export function attributesFrom(json) {
  return {
    mode: json.mode,
    uid: json.uid,
    gid: json.gid,
    rdev: BigInt(json.rdev),
    atime: timeFrom(json.atime),
    mtime: timeFrom(json.mtime),
    ctime: timeFrom(json.ctime),
    xattrs: Object.entries(json.xattrs).map(([name, value]) => [utf8(name), hexDecode(value)]),
    symlinkTarget: utf8(json.target),
  };
}

export function attributesJson(a) {
  return {
    mode: a.mode,
    uid: a.uid,
    gid: a.gid,
    rdev: Number(a.rdev),
    atime: timeJson(a.atime),
    mtime: timeJson(a.mtime),
    ctime: timeJson(a.ctime),
    xattrs: Object.fromEntries(a.xattrs.map(([name, value]) => [utf8Text(name), hexEncode(value)])),
    target: utf8Text(a.symlinkTarget),
  };
}

/** 64-bit values may be JSON numbers or, above 2^53, decimal strings. */
export function manifestFrom(json) {
  return {
    nodeId: json.node,
    version: BigInt(json.version),
    size: BigInt(json.size),
    chunkSize: json.chunk_size,
    chunks: json.chunks.map((c) => (c === null ? null : { id: hexDecode(c[0]), mac: hexDecode(c[1]), dataBlocks: c[2] })),
    attributes: attributesFrom(json.attributes),
  };
}

export function manifestJson(m) {
  return {
    node: m.nodeId,
    version: Number(m.version),
    size: Number(m.size),
    chunk_size: m.chunkSize,
    chunks: m.chunks.map((c) => (c === null ? null : [hexEncode(c.id), hexEncode(c.mac), c.dataBlocks])),
    attributes: attributesJson(m.attributes),
  };
}

export const entryBindingFrom = (json) => ({ parentId: json.parent, nodeId: json.node, nameTag: json.tag });
export const keyFrom = (text) => base64urlDecode(text);
export const keyText = (bytes) => base64urlEncode(bytes);
