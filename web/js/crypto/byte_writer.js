// Big-endian field writer for record plaintexts (docs/crypto.md section 12).

import { concatBytes, utf8 } from './bytes.js';

export class ByteWriter {
  constructor() {
    /** @type {Uint8Array[]} */
    this.parts = [];
  }

  /** @param {number} value */
  u8(value) {
    this.parts.push(Uint8Array.of(value));
  }

  /** @param {number} value */
  u16(value) {
    const out = new Uint8Array(2);
    new DataView(out.buffer).setUint16(0, value);
    this.parts.push(out);
  }

  /** @param {number} value */
  u32(value) {
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, value);
    this.parts.push(out);
  }

  /** @param {bigint} value */
  u64(value) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, value);
    this.parts.push(out);
  }

  /** @param {bigint} value two's complement */
  i64(value) {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigInt64(0, value);
    this.parts.push(out);
  }

  /** @param {Uint8Array} bytes */
  raw(bytes) {
    this.parts.push(bytes);
  }

  /** @param {Uint8Array} bytes a u16 length, then the bytes */
  shortBytes(bytes) {
    this.u16(bytes.length);
    this.raw(bytes);
  }

  /** @param {string} text a u16 length, then the UTF-8 bytes */
  shortText(text) {
    this.shortBytes(utf8(text));
  }

  /** @returns {import('./bytes.js').Bytes} */
  take() {
    const out = concatBytes(...this.parts);
    this.parts = [];
    return out;
  }
}
