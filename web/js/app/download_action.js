// Downloading one file: the target chosen first (while the click still counts), then the
// model's readFile stream, verified chunk by chunk, saved as it comes (download.js).
import { readFile } from '../model/index.js';
import { chooseTarget, saveStream } from './download.js';
import { Progress } from './progress.js';

/**
 * @param {import('../model/session.js').Session} session
 * @param {import('../model/listing.js').Entry} entry
 * @param {Element} transfers
 * @returns {Promise<boolean>} false when the user cancelled
 */
export async function downloadEntry(session, entry, transfers) {
  const target = await chooseTarget(entry.name);
  if (!target) return false;
  const size = Number(entry.size);
  const progress = new Progress(transfers, `Downloading ${entry.name}`);
  progress.update(0, size);
  try {
    // The version listed, whose size the save was announced with (Content-Length), not whatever
    // is current by now: a newer one from another device would not match it.
    const listed = entry.version ? { version: entry.version } : {};
    await saveStream(target, entry.name, size, readFile(session, entry, listed), (done) => progress.update(done, size));
    progress.finish(size);
    return true;
  } catch (error) {
    progress.fail(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}
