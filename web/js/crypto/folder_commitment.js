// The folder commitment (docs/crypto.md 12.6): a depth-two hash tree over a folder's entries.
// Leaves (name tag, MAC of the sealed entry) fall into 256 buckets by the tag's first byte:
//   bucket[b]  = SHA-256(tag || mac, ... in increasing tag order)      (SHA-256("") if empty)
//   commitment = SHA-256("coffer/v1/folder-set" || u64 count || bucket[0] || ... || bucket[255])
// As the C++ FolderCommitment, each bucket's digest is cached until the bucket changes, so a
// change costs one bucket and the 8 KiB of digests.

import { concatBytes, utf8 } from './bytes.js';
import { invalidArgument } from './errors.js';
import { hexDecode } from './hex.js';
import { sha256 } from './sha256.js';

const DOMAIN = utf8('coffer/v1/folder-set');
const BUCKETS = 256;
const DIGEST_SIZE = 32;

/** @param {string} tag */
function checkTag(tag) {
  if (!/^[0-9a-f]{64}$/.test(tag)) throw invalidArgument('a name tag is 64 hex characters');
}

export class FolderCommitment {
  constructor() {
    /** @type {Array<Map<string, Uint8Array>>} per bucket: tag (hex) -> MAC */
    this.buckets = Array.from({ length: BUCKETS }, () => new Map());
    /** @type {Array<Uint8Array | null>} null: changed since last computed */
    this.digests = new Array(BUCKETS).fill(null);
    this.count = 0;
  }

  /**
   * Adds or replaces the leaf of `tag`.
   * @param {string} tag 64 lowercase hex characters
   * @param {Uint8Array} entryMac the sealed entry's token MAC (32 bytes)
   */
  set(tag, entryMac) {
    checkTag(tag);
    if (entryMac.length !== DIGEST_SIZE) throw invalidArgument('an entry MAC is 32 bytes');
    const bucket = parseInt(tag.slice(0, 2), 16);
    if (!this.buckets[bucket].has(tag)) this.count++;
    this.buckets[bucket].set(tag, new Uint8Array(entryMac));
    this.digests[bucket] = null;
  }

  /** @param {string} tag */
  erase(tag) {
    checkTag(tag);
    const bucket = parseInt(tag.slice(0, 2), 16);
    if (!this.buckets[bucket].delete(tag)) return;
    this.count--;
    this.digests[bucket] = null;
  }

  /** @param {string} tag */
  find(tag) {
    checkTag(tag);
    return this.buckets[parseInt(tag.slice(0, 2), 16)].get(tag) ?? null;
  }

  get size() {
    return this.count;
  }

  /**
   * Lowercase hex sorts as the tag bytes do, unsigned: the order the format fixes.
   * @param {number} bucket
   */
  async bucketDigest(bucket) {
    const cached = this.digests[bucket];
    if (cached) return cached;
    const leaves = [...this.buckets[bucket].entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const digest = await sha256(concatBytes(...leaves.flatMap(([tag, mac]) => [hexDecode(tag), mac])));
    this.digests[bucket] = digest;
    return digest;
  }

  /** @returns {Promise<import('./bytes.js').Bytes>} 32 bytes */
  async digest() {
    const count = new Uint8Array(8);
    new DataView(count.buffer).setBigUint64(0, BigInt(this.count));
    const bucketDigests = [];
    for (let b = 0; b < BUCKETS; b++) bucketDigests.push(await this.bucketDigest(b));
    return sha256(concatBytes(DOMAIN, count, ...bucketDigests));
  }
}
