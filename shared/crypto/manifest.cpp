#include "crypto/manifest.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "crypto/attributes_codec.hpp"
#include "crypto/record_format.hpp"
#include "crypto/record_header.hpp"
#include "crypto/subkeys.hpp"

namespace coffer::crypto {
namespace {

Error bad_manifest(const char* defect) { return make_error(Errc::integrity, std::string("manifest: ") + defect); }

constexpr std::uint8_t kHoleMarker = 0;
constexpr std::uint8_t kChunkMarker = 1;

void copy_into(ByteView bytes, Sha256Digest& digest) { std::copy(bytes.begin(), bytes.end(), digest.begin()); }

bool valid_chunk_size(std::uint32_t chunk_size) { return chunk_size > 0 && chunk_size <= kMaxChunkSize; }

// The plaintext bytes chunk `index` covers.
std::uint64_t covered(const Manifest& manifest, std::uint64_t index) {
  return std::min<std::uint64_t>(manifest.chunk_size, manifest.size - index * manifest.chunk_size);
}

// A stored chunk holds at least one block of data (a chunk of zeros is a hole), and no more
// blocks than its length has.
bool valid_data_blocks(const Manifest& manifest, std::uint64_t index, std::uint32_t data_blocks) {
  return data_blocks >= 1 && data_blocks <= max_data_blocks(covered(manifest, index));
}

void require_sealable(const Manifest& manifest) {
  if (manifest.node_id.empty() || manifest.node_id.size() > kMaxNodeIdSize) {
    throw std::invalid_argument("manifest: node id must be 1 to 255 bytes");
  }
  if (!valid_chunk_size(manifest.chunk_size)) throw std::invalid_argument("manifest: chunk size out of range");
  if (manifest.chunks.size() != chunk_count(manifest.size, manifest.chunk_size) ||
      manifest.chunks.size() > std::numeric_limits<std::uint32_t>::max()) {
    throw std::invalid_argument("manifest: chunk count does not match size and chunk size");
  }
  for (std::uint64_t i = 0; i < manifest.chunks.size(); ++i) {
    if (manifest.chunks[i] && !valid_data_blocks(manifest, i, manifest.chunks[i]->data_blocks)) {
      throw std::invalid_argument("manifest: a chunk's data blocks do not fit its length");
    }
  }
  auto checked = check_attributes(manifest.attributes);
  if (!checked) throw std::invalid_argument("manifest: " + checked.error().message);
}

// The chunk list is checked against size and chunk size before it is allocated, so a
// malformed count cannot make a large allocation.
Status read_chunk_list(ByteReader& in, Manifest& manifest) {
  if (!valid_chunk_size(manifest.chunk_size)) return bad_manifest("chunk size out of range");
  const std::uint32_t count = in.u32();
  if (!in.ok() || count != chunk_count(manifest.size, manifest.chunk_size)) {
    return bad_manifest("chunk count does not match size and chunk size");
  }
  if (count > in.remaining()) return bad_manifest("chunk list is truncated");  // each entry is 1 byte or more
  manifest.chunks.resize(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    std::optional<ChunkRef>& chunk = manifest.chunks[i];
    const std::uint8_t marker = in.u8();
    if (marker == kHoleMarker) continue;
    if (marker != kChunkMarker) return bad_manifest("a chunk entry is neither a hole nor a chunk");
    chunk.emplace();
    copy_into(in.raw(chunk->id.digest.size()), chunk->id.digest);
    copy_into(in.raw(chunk->mac.size()), chunk->mac);
    chunk->data_blocks = in.u32();
    if (in.ok() && !valid_data_blocks(manifest, i, chunk->data_blocks)) {
      return bad_manifest("a chunk's data blocks do not fit its length");
    }
  }
  if (!in.ok()) return bad_manifest("chunk list is truncated");
  return {};
}

void write_chunk_list(ByteWriter& out, const std::vector<std::optional<ChunkRef>>& chunks) {
  out.u32(static_cast<std::uint32_t>(chunks.size()));
  for (const std::optional<ChunkRef>& chunk : chunks) {
    out.u8(chunk ? kChunkMarker : kHoleMarker);
    if (!chunk) continue;
    out.raw(chunk->id.digest);
    out.raw(chunk->mac);
    out.u32(chunk->data_blocks);
  }
}

}  // namespace

std::uint64_t chunk_count(std::uint64_t size, std::uint32_t chunk_size) noexcept {
  return size / chunk_size + (size % chunk_size != 0 ? 1 : 0);
}

std::uint64_t stored_bytes(const Manifest& manifest) noexcept {
  std::uint64_t bytes = 0;
  for (const std::optional<ChunkRef>& chunk : manifest.chunks) {
    if (chunk) bytes += std::uint64_t{chunk->data_blocks} * kDataBlockSize;
  }
  return bytes;
}

Bytes encode_manifest(const Manifest& manifest) {
  ByteWriter out;
  write_record_header(out, kManifestRecordKind);
  write_node_id(out, manifest.node_id);
  out.u64(manifest.version);
  out.u64(manifest.size);
  out.u32(manifest.chunk_size);
  write_chunk_list(out, manifest.chunks);
  write_attributes(out, manifest.attributes);
  return out.take();
}

Result<Manifest> decode_manifest(ByteView plaintext) {
  ByteReader in(plaintext);
  if (const char* defect = record_header_defect(in, kManifestRecordKind)) return bad_manifest(defect);
  Manifest manifest;
  manifest.node_id = read_node_id(in);
  manifest.version = in.u64();
  manifest.size = in.u64();
  manifest.chunk_size = in.u32();
  if (!in.ok()) return bad_manifest("truncated header");
  COFFER_TRY_STATUS(read_chunk_list(in, manifest));
  read_attributes(in, manifest.attributes);
  if (!in.finished()) return bad_manifest("malformed or trailing bytes");
  return manifest;
}

Bytes seal_manifest(const FernetKey& file_key, const Manifest& manifest) {
  require_sealable(manifest);
  return fernet_encrypt_raw(derive_subkey(file_key, KeyPurpose::manifest), encode_manifest(manifest));
}

Result<Manifest> open_manifest(const FernetKey& file_key, std::string_view expected_node_id, ByteView sealed) {
  auto plaintext = fernet_decrypt_raw(derive_subkey(file_key, KeyPurpose::manifest), sealed);
  if (!plaintext) return bad_manifest("does not verify under the file key");
  auto manifest = decode_manifest(*plaintext);
  if (!manifest) return std::move(manifest).error();
  if (manifest->node_id != expected_node_id) return bad_manifest("belongs to another node");
  return manifest;
}

}  // namespace coffer::crypto
