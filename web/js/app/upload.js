// Uploads from the picker or a drop: files, and folders with everything in them (the folders
// made first, then each file chunk by chunk through the model's uploadFile, so a file of any
// size never sits in memory; a few workers encrypt and store the chunks). One progress bar per
// upload, with speed and time left.
import { ApiError } from '../api/api_error.js';
import { PieceWorkers, makeFolder, openFolder, uploadFile } from '../model/index.js';
import { Progress } from './progress.js';

/** @type {PieceWorkers | null} */
let pieceWorkers = null;

/** The page's upload workers, started at its first upload. */
function uploadWorkers() {
  pieceWorkers ??= new PieceWorkers();
  return pieceWorkers;
}

/**
 * A file to upload and the folders above it, relative to the target folder.
 * @typedef {{ dirs: string[], file: File }} UploadItem
 */

/**
 * Items of a drop, folders walked recursively (webkitGetAsEntry, which Chromium, Firefox and
 * Safari have). Must be called synchronously in the drop handler: the items die after it.
 * @param {DataTransfer} transfer
 * @returns {Promise<{ items: UploadItem[], folders: string[][] }>}
 */
export function itemsOfDrop(transfer) {
  /** @type {any[]} */
  const entries = [];
  /** @type {File[]} */
  const plain = [];
  for (const item of Array.from(transfer.items)) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) plain.push(file);
    }
  }
  return (async () => {
    /** @type {UploadItem[]} */
    const items = plain.map((file) => ({ dirs: [], file }));
    /** @type {string[][]} */
    const folders = [];
    /**
     * @param {any} entry
     * @param {string[]} dirs
     */
    const walk = async (entry, dirs) => {
      if (entry.isFile) {
        const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
        items.push({ dirs, file: /** @type {File} */ (file) });
      } else if (entry.isDirectory) {
        const here = [...dirs, entry.name];
        folders.push(here);
        const reader = entry.createReader();
        for (;;) {
          const batch = /** @type {any[]} */ (await new Promise((resolve, reject) => reader.readEntries(resolve, reject)));
          if (batch.length === 0) break;
          for (const child of batch) await walk(child, here);
        }
      }
    };
    for (const entry of entries) await walk(entry, []);
    return { items, folders };
  })();
}

/**
 * Items of a file input; with `webkitdirectory`, each file's relative path names its folders.
 * @param {FileList} files
 * @returns {{ items: UploadItem[], folders: string[][] }}
 */
export function itemsOfInput(files) {
  /** @type {UploadItem[]} */
  const items = [];
  /** @type {Map<string, string[]>} */
  const folders = new Map();
  for (const file of Array.from(files)) {
    const parts = (file.webkitRelativePath || file.name).split('/').filter((p) => p !== '');
    const dirs = parts.slice(0, -1);
    for (let i = 1; i <= dirs.length; i++) folders.set(dirs.slice(0, i).join('/'), dirs.slice(0, i));
    items.push({ dirs, file });
  }
  return { items, folders: [...folders.values()] };
}

/**
 * A folder's subfolder by name, made when missing.
 * @param {import('../model/session.js').Session} session
 * @param {import('../model/listing.js').Entry | null} parent
 * @param {string} name
 */
async function ensureFolder(session, parent, name) {
  const existing = (await openFolder(session, parent)).find((e) => e.name === name);
  if (existing) {
    if (existing.kind !== 'folder') throw new ApiError(409, 'already_exists', `${name} exists and is not a folder`);
    return existing;
  }
  return makeFolder(session, parent, name);
}

/**
 * Uploads everything into `target`. Resolves once all are stored; throws the first failure.
 * @param {import('../model/session.js').Session} session
 * @param {import('../model/listing.js').Entry | null} target null: the root
 * @param {{ items: UploadItem[], folders: string[][] }} what
 * @param {Element} transfers
 */
export async function uploadAll(session, target, what, transfers) {
  const { items, folders } = what;
  if (items.length === 0 && folders.length === 0) return;
  const total = items.reduce((sum, item) => sum + item.file.size, 0);
  const label = items.length === 1 && folders.length === 0
    ? `Uploading ${items[0].file.name}`
    : `Uploading ${items.length} file${items.length === 1 ? '' : 's'}${folders.length ? ` in ${folders.length} folder${folders.length === 1 ? '' : 's'}` : ''}`;
  const progress = new Progress(transfers, label);
  progress.update(0, total);
  try {
    /** @type {Map<string, import('../model/listing.js').Entry | null>} */
    const made = new Map([['', target]]);
    const sorted = [...folders].sort((a, b) => a.length - b.length);
    const folderOf = async (/** @type {string[]} */ dirs) => {
      const key = dirs.join('/');
      if (made.has(key)) return made.get(key) ?? null;
      const parent = await folderOf(dirs.slice(0, -1));
      const folder = await ensureFolder(session, parent, dirs[dirs.length - 1]);
      made.set(key, folder);
      return folder;
    };
    for (const dirs of sorted) await folderOf(dirs);
    let before = 0;
    for (const item of items) {
      const folder = await folderOf(item.dirs);
      await uploadFile(session, folder, item.file.name, item.file, {
        pieces: uploadWorkers(),
        onProgress: (done) => progress.update(before + done, total),
      });
      before += item.file.size;
    }
    progress.finish(total);
  } catch (error) {
    progress.fail(`Failed: ${error instanceof Error ? error.message : String(error)}`);
    throw error;
  }
}
