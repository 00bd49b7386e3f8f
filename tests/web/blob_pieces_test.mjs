// blobPieces: a Blob's stream cut into fixed-size pieces, whatever sizes the stream's parts
// have; a file that changes under the upload is an error, never a piece of the wrong length.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blobPieces } from '../../web/js/model/blob_pieces.js';

/** @param {AsyncGenerator<{ index: number, piece: Uint8Array }>} pieces */
async function all(pieces) {
  const out = [];
  for await (const { index, piece } of pieces) out.push([index, piece]);
  return out;
}

/** A Blob-like whose stream gives `parts` and claims `size`. @param {Uint8Array[]} parts @param {number} size */
function streamed(parts, size) {
  return /** @type {Blob} */ (/** @type {unknown} */ ({
    size,
    stream: () => new ReadableStream({ start(controller) { for (const p of parts) controller.enqueue(p); controller.close(); } }),
  }));
}

test('pieces of the size asked, the last shorter, each in its own buffer, in order', async () => {
  const data = Uint8Array.from({ length: 10_000 }, (_, i) => i % 251);
  const parts = [data.subarray(0, 1), data.subarray(1, 4097), data.subarray(4097, 4100), data.subarray(4100)];
  const pieces = await all(blobPieces(streamed(parts, data.length), 4096));
  assert.deepEqual(pieces.map(([i, p]) => [i, p.length]), [[0, 4096], [1, 4096], [2, 1808]]);
  for (const [i, p] of pieces) {
    assert.equal(p.byteOffset, 0);
    assert.equal(p.buffer.byteLength, p.length);
    assert.deepEqual(p, data.subarray(i * 4096, i * 4096 + p.length));
  }
});

test('an empty blob has no pieces; a real Blob works as well', async () => {
  assert.deepEqual(await all(blobPieces(new Blob([]), 4096)), []);
  const pieces = await all(blobPieces(new Blob([new Uint8Array(5000).fill(7)]), 4096));
  assert.deepEqual(pieces.map(([, p]) => p.length), [4096, 904]);
});

test('a file shorter or longer than its size is refused', async () => {
  await assert.rejects(all(blobPieces(streamed([new Uint8Array(100)], 200), 64)), /ended 100 bytes early/);
  await assert.rejects(all(blobPieces(streamed([new Uint8Array(300)], 200), 64)), /grew during the upload/);
});
