// Helpers of the model's tests (model_test.mjs): the environment model_driver.py sets, waiting
// for the mount with a deadline (the mount learns the model's changes from the change feed),
// `coffer sync` (the mount's writes reach the server), random data, and a fetch that lets a
// test play a lying server.
import './webcrypto.mjs';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { eventually } from './eventually.mjs';

export { eventually };

export const env = {
  url: required('COFFER_URL'),
  password: required('COFFER_PASSWORD'),
  mount: required('COFFER_MOUNT'),
  profile: required('COFFER_PROFILE'),
  data: required('COFFER_DATA'),
  coffer: required('COFFER_COFFER'),
};

/** @param {string} name */
function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this through tests/web/model_driver.py`);
  return value;
}

/** @param {...string} parts */
export function inMount(...parts) {
  return join(env.mount, ...parts);
}

/** Runs `coffer sync`: everything written through the mount is on the server when it returns. */
export async function cofferSync() {
  await promisify(execFile)(env.coffer, ['--profile', env.profile, 'sync', '--timeout', '120'], { timeout: 150_000 });
}

/** The mount shows `path` with exactly `bytes` (waits for the change feed). */
export async function mountHolds(path, bytes, seconds = 30) {
  await eventually(`${path} in the mount`, async () => (await stat(path)).size === bytes.length);
  await eventually(`${path}'s bytes in the mount`, async () => Buffer.compare(await readFile(path), Buffer.from(bytes)) === 0, seconds);
}

/** @param {string} path */
export async function mountLacks(path) {
  await eventually(`${path} gone from the mount`, async () => {
    try {
      await stat(path);
      return false;
    } catch (error) {
      return error.code === 'ENOENT';
    }
  });
}

/** @param {number} size */
export function randomData(size) {
  return new Uint8Array(randomBytes(size));
}

/** The file of a blob in the server's data directory (found by its name: the blob id). */
export async function blobFile(id, directory = env.data) {
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      const found = await blobFile(id, path);
      if (found) return found;
    } else if (entry.name === id) {
      return path;
    }
  }
  return null;
}

/**
 * A fetch that passes every request to the real one and lets `edit` change a JSON answer
 * whose path matches: a server that lies.
 * @param {RegExp} pathPattern
 * @param {(body: any) => any} edit
 */
export function lyingFetch(pathPattern, edit) {
  return async (input, init) => {
    const response = await fetch(input, init);
    if (!pathPattern.test(new URL(input).pathname) || !(response.headers.get('Content-Type') ?? '').startsWith('application/json')) {
      return response;
    }
    const body = edit(await response.json());
    return new Response(JSON.stringify(body), { status: response.status, headers: { 'Content-Type': 'application/json' } });
  };
}

/**
 * A local file as the model sees a File: its size, and slices and a stream read from disk
 * when asked, so a file larger than memory can be uploaded (what a browser's File does; Node
 * 18 has no fs.openAsBlob).
 * @param {string} path
 */
export async function fileBlob(path) {
  const handle = await open(path);
  const { size } = await handle.stat();
  const slice = (start, end) => ({
    size: end - start,
    async arrayBuffer() {
      const bytes = new Uint8Array(end - start);
      await handle.read(bytes, 0, bytes.length, start);
      return bytes.buffer;
    },
  });
  // What File.stream() gives: the bytes in order, in parts of a few hundred KiB.
  const stream = () => {
    let at = 0;
    return new ReadableStream({
      async pull(controller) {
        const part = new Uint8Array(Math.min(256 * 1024, size - at));
        if (part.length === 0) {
          controller.close();
          return;
        }
        await handle.read(part, 0, part.length, at);
        at += part.length;
        controller.enqueue(part);
      },
    });
  };
  return { size, slice, stream, close: () => handle.close() };
}

/** Samples the process's resident memory until stopped; the peak in MiB. */
export function memoryPeak() {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  return () => {
    clearInterval(timer);
    return Math.max(peak, process.memoryUsage().rss) / 2 ** 20;
  };
}
