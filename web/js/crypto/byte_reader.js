// Big-endian field reader for record plaintexts. As the C++ ByteReader, a read past the end or
// a failed rule sets a sticky failure and later reads return zeros, so a decoder checks ok()
// or finished() once, where it reports the defect.

import { utf8Text } from './bytes.js';

export class ByteReader {
  /** @param {Uint8Array} bytes */
  constructor(bytes) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
    this.failed = false;
  }

  fail() {
    this.failed = true;
  }

  ok() {
    return !this.failed;
  }

  remaining() {
    return this.bytes.length - this.pos;
  }

  /** True when every byte was read and nothing failed. */
  finished() {
    return this.ok() && this.remaining() === 0;
  }

  /**
   * @param {number} size
   * @returns {number} the offset of `size` readable bytes, or -1 after a failure
   */
  advance(size) {
    if (this.failed || size > this.remaining()) {
      this.failed = true;
      return -1;
    }
    const at = this.pos;
    this.pos += size;
    return at;
  }

  u8() {
    const at = this.advance(1);
    return at < 0 ? 0 : this.view.getUint8(at);
  }

  u16() {
    const at = this.advance(2);
    return at < 0 ? 0 : this.view.getUint16(at);
  }

  u32() {
    const at = this.advance(4);
    return at < 0 ? 0 : this.view.getUint32(at);
  }

  u64() {
    const at = this.advance(8);
    return at < 0 ? 0n : this.view.getBigUint64(at);
  }

  i64() {
    const at = this.advance(8);
    return at < 0 ? 0n : this.view.getBigInt64(at);
  }

  /**
   * @param {number} size
   * @returns {import('./bytes.js').Bytes} a copy (empty after a failure)
   */
  raw(size) {
    const at = this.advance(size);
    return at < 0 ? new Uint8Array(0) : this.bytes.slice(at, at + size);
  }

  /**
   * A u16 length in min..max, then that many bytes.
   * @param {number} min
   * @param {number} max
   */
  shortBytes(min, max) {
    const size = this.u16();
    if (size < min || size > max) this.fail();
    return this.raw(size);
  }

  /**
   * As shortBytes, as UTF-8 text; bytes that are not UTF-8 fail.
   * @param {number} min
   * @param {number} max
   */
  shortText(min, max) {
    const text = utf8Text(this.shortBytes(min, max));
    if (text === null) this.fail();
    return text ?? '';
  }
}
