// The attributes block shared by manifests and attribute records (docs/crypto.md 12.1).
// 64-bit fields are bigints, so every value round-trips exactly. Xattr names and the symlink
// target are byte strings, as on Linux.

import { compareBytes } from './bytes.js';
import { invalidArgument } from './errors.js';

const NANOSECONDS_PER_SECOND = 1_000_000_000;
const MAX_XATTR_NAME_SIZE = 255;
const MAX_XATTR_VALUE_SIZE = 65536;
const MAX_SYMLINK_TARGET_SIZE = 4095;

/** @typedef {{ sec: bigint, nsec: number }} Timestamp */
/**
 * @typedef {object} Attributes
 * @property {number} mode st_mode: type and permission bits
 * @property {number} uid
 * @property {number} gid
 * @property {bigint} rdev st_rdev of device nodes, 0n otherwise
 * @property {Timestamp} atime
 * @property {Timestamp} mtime
 * @property {Timestamp} ctime
 * @property {Array<[Uint8Array, Uint8Array]>} xattrs name and value pairs, names distinct
 * @property {Uint8Array} symlinkTarget empty except for symlinks
 */

/**
 * Refuses (invalid_argument) attributes no record can carry: Linux's limits.
 * @param {Attributes} attributes
 */
export function checkAttributes(attributes) {
  for (const time of [attributes.atime, attributes.mtime, attributes.ctime]) {
    if (!Number.isInteger(time.nsec) || time.nsec < 0 || time.nsec >= NANOSECONDS_PER_SECOND) {
      throw invalidArgument('a timestamp has nanoseconds outside 0..999999999');
    }
  }
  for (const [name, value] of attributes.xattrs) {
    if (name.length === 0 || name.length > MAX_XATTR_NAME_SIZE) throw invalidArgument('an xattr name is empty or over 255 bytes');
    if (value.length > MAX_XATTR_VALUE_SIZE) throw invalidArgument('an xattr value is over 64 KiB');
  }
  const names = attributes.xattrs.map(([name]) => name).sort(compareBytes);
  if (names.some((name, i) => i > 0 && compareBytes(names[i - 1], name) === 0)) {
    throw invalidArgument('an xattr name appears twice');
  }
  if (attributes.symlinkTarget.length > MAX_SYMLINK_TARGET_SIZE) throw invalidArgument('a symlink target is over 4095 bytes');
}

/**
 * @param {import('./byte_writer.js').ByteWriter} out
 * @param {Timestamp} time
 */
function writeTime(out, time) {
  out.i64(time.sec);
  out.u32(time.nsec);
}

/**
 * @param {import('./byte_reader.js').ByteReader} reader
 * @returns {Timestamp}
 */
function readTime(reader) {
  const time = { sec: reader.i64(), nsec: reader.u32() };
  if (time.nsec >= NANOSECONDS_PER_SECOND) reader.fail();
  return time;
}

/**
 * Xattrs in increasing name order (unsigned bytes), so each set has one encoding.
 * @param {import('./byte_writer.js').ByteWriter} out
 * @param {Attributes} attributes
 */
export function writeAttributes(out, attributes) {
  out.u32(attributes.mode);
  out.u32(attributes.uid);
  out.u32(attributes.gid);
  out.u64(attributes.rdev);
  writeTime(out, attributes.atime);
  writeTime(out, attributes.mtime);
  writeTime(out, attributes.ctime);
  const xattrs = [...attributes.xattrs].sort(([a], [b]) => compareBytes(a, b));
  out.u32(xattrs.length);
  for (const [name, value] of xattrs) {
    out.shortBytes(name);
    out.u32(value.length);
    out.raw(value);
  }
  out.u32(attributes.symlinkTarget.length);
  out.raw(attributes.symlinkTarget);
}

/**
 * Names must be strictly increasing. The loop ends at the first failed read, so a malformed
 * count cannot make a long loop: each xattr takes at least seven bytes.
 * @param {import('./byte_reader.js').ByteReader} reader
 * @returns {Array<[Uint8Array, Uint8Array]>}
 */
function readXattrs(reader) {
  const count = reader.u32();
  /** @type {Array<[Uint8Array, Uint8Array]>} */
  const xattrs = [];
  for (let i = 0; i < count && reader.ok(); i++) {
    const name = reader.shortBytes(1, MAX_XATTR_NAME_SIZE);
    const valueSize = reader.u32();
    if (valueSize > MAX_XATTR_VALUE_SIZE) reader.fail();
    const value = reader.raw(valueSize);
    if (xattrs.length > 0 && compareBytes(xattrs[xattrs.length - 1][0], name) >= 0) reader.fail();
    xattrs.push([name, value]);
  }
  return xattrs;
}

/**
 * @param {import('./byte_reader.js').ByteReader} reader
 * @returns {Attributes} meaningful only while reader.ok()
 */
export function readAttributes(reader) {
  const mode = reader.u32();
  const uid = reader.u32();
  const gid = reader.u32();
  const rdev = reader.u64();
  const atime = readTime(reader);
  const mtime = readTime(reader);
  const ctime = readTime(reader);
  const xattrs = readXattrs(reader);
  const targetSize = reader.u32();
  if (targetSize > MAX_SYMLINK_TARGET_SIZE) reader.fail();
  const symlinkTarget = reader.raw(targetSize);
  return { mode, uid, gid, rdev, atime, mtime, ctime, xattrs, symlinkTarget };
}
