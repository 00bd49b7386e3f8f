// Manifests (docs/crypto.md 12.2), sealed under subkey(file key, manifest):
//   'M' 0x03 | node id | u64 version | u64 size | u32 chunk size | u32 count C
//   | C entries (0x00 a hole; 0x01, chunk id (32), token MAC (32), u32 data blocks) | attributes

import { ByteReader } from './byte_reader.js';
import { ByteWriter } from './byte_writer.js';
import { checkAttributes, readAttributes, writeAttributes } from './attributes_codec.js';
import { maxDataBlocks } from './chunk.js';
import { integrityError, invalidArgument } from './errors.js';
import { fernetDecryptRaw, fernetEncryptRaw } from './fernet.js';
import { isSealableNodeId, readNodeId, RecordKind, recordHeaderDefect, writeNodeId, writeRecordHeader } from './record_header.js';
import { fernetSubkey, KeyPurpose } from './subkeys.js';

export const MAX_CHUNK_SIZE = 64 * 2 ** 20;
const HOLE_MARKER = 0;
const CHUNK_MARKER = 1;
const DIGEST_SIZE = 32;
const MAX_COUNT = 2 ** 32 - 1;

/**
 * A stored chunk as the manifest names it.
 * @typedef {{ id: Uint8Array, mac: Uint8Array, dataBlocks: number }} ChunkRef
 */
/**
 * @typedef {object} Manifest
 * @property {string} nodeId
 * @property {bigint} version
 * @property {bigint} size plaintext bytes
 * @property {number} chunkSize 1 .. 64 MiB
 * @property {Array<ChunkRef | null>} chunks in file order; null is a hole
 * @property {import('./attributes_codec.js').Attributes} attributes at commit time
 */

/** @param {string} defect */
function badManifest(defect) {
  return integrityError(`manifest: ${defect}`);
}

/** @param {number} chunkSize */
function validChunkSize(chunkSize) {
  return Number.isInteger(chunkSize) && chunkSize > 0 && chunkSize <= MAX_CHUNK_SIZE;
}

/**
 * ⌈size / chunk size⌉
 * @param {bigint} size
 * @param {number} chunkSize
 */
export function chunkCount(size, chunkSize) {
  const step = BigInt(chunkSize);
  return size / step + (size % step !== 0n ? 1n : 0n);
}

/** @typedef {{ size: bigint, chunkSize: number }} Layout a file's size and chunk size */

/**
 * The plaintext bytes chunk `index` covers.
 * @param {Layout} manifest
 * @param {number} index
 */
export function coveredBytes(manifest, index) {
  const step = BigInt(manifest.chunkSize);
  const rest = manifest.size - BigInt(index) * step;
  return Number(rest < step ? rest : step);
}

/**
 * A stored chunk holds 1 .. ⌈covered / 4096⌉ blocks of data.
 * @param {Layout} manifest
 * @param {number} index
 * @param {number} dataBlocks
 */
function validDataBlocks(manifest, index, dataBlocks) {
  return dataBlocks >= 1 && dataBlocks <= maxDataBlocks(coveredBytes(manifest, index));
}

/**
 * Σ data blocks × 4096: what st_blocks reports (in 512-byte units).
 * @param {Manifest} manifest
 */
export function storedBytes(manifest) {
  return manifest.chunks.reduce((sum, chunk) => sum + (chunk ? BigInt(chunk.dataBlocks) * 4096n : 0n), 0n);
}

/** @param {Manifest} manifest */
function requireSealable(manifest) {
  if (!isSealableNodeId(manifest.nodeId)) throw invalidArgument('manifest: node id must be 1 to 255 bytes');
  if (!validChunkSize(manifest.chunkSize)) throw invalidArgument('manifest: chunk size out of range');
  if (BigInt(manifest.chunks.length) !== chunkCount(manifest.size, manifest.chunkSize) || manifest.chunks.length > MAX_COUNT) {
    throw invalidArgument('manifest: chunk count does not match size and chunk size');
  }
  manifest.chunks.forEach((chunk, i) => {
    if (chunk && (chunk.id.length !== DIGEST_SIZE || chunk.mac.length !== DIGEST_SIZE)) {
      throw invalidArgument('manifest: a chunk id and MAC are 32 bytes each');
    }
    if (chunk && !validDataBlocks(manifest, i, chunk.dataBlocks)) {
      throw invalidArgument("manifest: a chunk's data blocks do not fit its length");
    }
  });
  checkAttributes(manifest.attributes);
}

/** @param {Manifest} manifest */
export function encodeManifest(manifest) {
  const out = new ByteWriter();
  writeRecordHeader(out, RecordKind.manifest);
  writeNodeId(out, manifest.nodeId);
  out.u64(manifest.version);
  out.u64(manifest.size);
  out.u32(manifest.chunkSize);
  out.u32(manifest.chunks.length);
  for (const chunk of manifest.chunks) {
    out.u8(chunk ? CHUNK_MARKER : HOLE_MARKER);
    if (!chunk) continue;
    out.raw(chunk.id);
    out.raw(chunk.mac);
    out.u32(chunk.dataBlocks);
  }
  writeAttributes(out, manifest.attributes);
  return out.take();
}

/**
 * The count is checked against size, chunk size and the bytes left (every entry takes one
 * byte or more) before the list is built.
 * @param {ByteReader} reader
 * @param {Layout} layout
 * @returns {Array<ChunkRef | null>}
 */
function readChunkList(reader, layout) {
  if (!validChunkSize(layout.chunkSize)) throw badManifest('chunk size out of range');
  const count = reader.u32();
  if (!reader.ok() || BigInt(count) !== chunkCount(layout.size, layout.chunkSize)) {
    throw badManifest('chunk count does not match size and chunk size');
  }
  if (count > reader.remaining()) throw badManifest('chunk list is truncated');
  /** @type {Array<ChunkRef | null>} */
  const chunks = [];
  for (let i = 0; i < count; i++) {
    const marker = reader.u8();
    if (marker === HOLE_MARKER) {
      chunks.push(null);
      continue;
    }
    if (marker !== CHUNK_MARKER) throw badManifest('a chunk entry is neither a hole nor a chunk');
    const chunk = { id: reader.raw(DIGEST_SIZE), mac: reader.raw(DIGEST_SIZE), dataBlocks: reader.u32() };
    if (reader.ok() && !validDataBlocks(layout, i, chunk.dataBlocks)) {
      throw badManifest("a chunk's data blocks do not fit its length");
    }
    chunks.push(chunk);
  }
  if (!reader.ok()) throw badManifest('chunk list is truncated');
  return chunks;
}

/**
 * @param {Uint8Array} plaintext
 * @returns {Manifest}
 */
export function decodeManifest(plaintext) {
  const reader = new ByteReader(plaintext);
  const defect = recordHeaderDefect(reader, RecordKind.manifest);
  if (defect) throw badManifest(defect);
  const nodeId = readNodeId(reader);
  const version = reader.u64();
  const size = reader.u64();
  const chunkSize = reader.u32();
  if (!reader.ok()) throw badManifest('truncated header');
  const chunks = readChunkList(reader, { size, chunkSize });
  const attributes = readAttributes(reader);
  if (!reader.finished()) throw badManifest('malformed or trailing bytes');
  return { nodeId, version, size, chunkSize, chunks, attributes };
}

/**
 * @param {Uint8Array} fileKey
 * @param {Manifest} manifest
 */
export async function sealManifest(fileKey, manifest) {
  requireSealable(manifest);
  return fernetEncryptRaw(await fernetSubkey(fileKey, KeyPurpose.manifest), encodeManifest(manifest));
}

/**
 * Refuses (integrity) a token that does not verify, a malformed manifest, or another node's.
 * @param {Uint8Array} fileKey
 * @param {string} expectedNodeId
 * @param {Uint8Array} sealed
 */
export async function openManifest(fileKey, expectedNodeId, sealed) {
  let plaintext;
  try {
    plaintext = await fernetDecryptRaw(await fernetSubkey(fileKey, KeyPurpose.manifest), sealed);
  } catch {
    throw badManifest('does not verify under the file key');
  }
  const manifest = decodeManifest(plaintext);
  if (manifest.nodeId !== expectedNodeId) throw badManifest('belongs to another node');
  return manifest;
}
