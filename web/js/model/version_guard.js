// The highest folder revision, attribute revision and content version this session has seen
// of each node: an older one offered later is a rollback (docs/crypto.md section 15), refused
// as integrity, as the C++ client's cache/version_guard does for a profile.
import { integrityError } from '../crypto/errors.js';

export class VersionGuard {
  constructor() {
    /** @type {Map<string, number>} */
    this.folders = new Map();
    /** @type {Map<string, number>} */
    this.attributes = new Map();
    /** @type {Map<string, number>} */
    this.versions = new Map();
  }

  /**
   * @param {Map<string, number>} seen
   * @param {string} what
   * @param {string} id
   * @param {number} value
   */
  static check(seen, what, id, value) {
    // The server's JSON could hold "10" or nothing where a number belongs: strings compare as
    // text and undefined never compares lower, so anything but a whole number is refused.
    if (!Number.isSafeInteger(value) || value < 0) throw integrityError(`node ${id}: the server offers ${what} ${String(value)}, not a whole number`);
    const highest = seen.get(id) ?? 0;
    if (value < highest) throw integrityError(`node ${id}: the server offers ${what} ${value}, older than ${highest} seen before`);
    seen.set(id, value);
  }

  /** @param {string} id @param {number} revision */
  folder(id, revision) {
    VersionGuard.check(this.folders, 'folder revision', id, revision);
  }

  /** @param {string} id @param {number} revision */
  attributeRevision(id, revision) {
    VersionGuard.check(this.attributes, 'attribute revision', id, revision);
  }

  /** @param {string} id @param {number} version */
  contentVersion(id, version) {
    VersionGuard.check(this.versions, 'content version', id, version);
  }
}
