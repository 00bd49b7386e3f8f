#include "crypto/chunk.hpp"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "crypto/encoding.hpp"

namespace coffer::crypto {

std::string ChunkId::hex() const { return hex_encode(digest); }

Result<ChunkId> ChunkId::from_hex(std::string_view text) {
  auto bytes = hex_decode(text);
  if (!bytes || bytes->size() != ChunkId{}.digest.size()) {
    return make_error(Errc::invalid_argument, "a chunk id is 64 lowercase hex characters");
  }
  ChunkId id;
  std::copy(bytes->begin(), bytes->end(), id.digest.begin());
  return id;
}

ChunkId ChunkId::of(ByteView stored) { return ChunkId{sha256(stored)}; }

// Data usually differs from zero in a block's first bytes, so most blocks cost one 8-byte
// load; a block of zeros is checked whole with an OR that vectorises.
std::uint32_t count_data_blocks(ByteView plaintext) noexcept {
  std::uint32_t blocks = 0;
  for (std::size_t at = 0; at < plaintext.size(); at += kDataBlockSize) {
    const ByteView block = plaintext.subspan(at, std::min<std::size_t>(kDataBlockSize, plaintext.size() - at));
    std::uint64_t head = 0;
    std::memcpy(&head, block.data(), std::min<std::size_t>(sizeof head, block.size()));
    std::uint8_t any = head != 0 ? 1 : 0;
    if (any == 0) {
      for (std::uint8_t byte : block) any |= byte;
    }
    blocks += any != 0 ? 1 : 0;
  }
  return blocks;
}

ChunkRef EncryptedChunk::ref() const {
  ChunkRef ref{id, {}, data_blocks};
  const ByteView token(stored);
  if (token.size() < ref.mac.size()) return ref;
  const ByteView mac = token.last(ref.mac.size());
  std::copy(mac.begin(), mac.end(), ref.mac.begin());
  return ref;
}

namespace {

EncryptedChunk encrypt_counted(const FernetKey& file_key, ByteView plaintext, std::uint32_t data_blocks) {
  Bytes stored = fernet_encrypt_raw(file_key, plaintext);
  const ChunkId id = ChunkId::of(stored);
  return EncryptedChunk{id, std::move(stored), data_blocks};
}

}  // namespace

EncryptedChunk encrypt_chunk(const FernetKey& file_key, ByteView plaintext) {
  return encrypt_counted(file_key, plaintext, count_data_blocks(plaintext));
}

std::optional<EncryptedChunk> encrypt_chunk_or_hole(const FernetKey& file_key, ByteView plaintext) {
  const std::uint32_t data_blocks = count_data_blocks(plaintext);
  if (data_blocks == 0) return std::nullopt;
  return encrypt_counted(file_key, plaintext, data_blocks);
}

Result<ChunkBytes> decrypt_chunk(const FernetKey& file_key, const Sha256Digest& expected_mac, ByteView stored) {
  if (stored.size() < kFernetMinRawSize || !constant_time_equal(stored.last(expected_mac.size()), expected_mac)) {
    return make_error(Errc::integrity, "chunk: not the token the manifest names (another MAC)");
  }
  auto plaintext = fernet_decrypt_large(file_key, stored);
  if (!plaintext) return make_error(Errc::integrity, "chunk: does not verify under the file key");
  return plaintext;
}

std::vector<ByteView> split_chunks(ByteView plaintext, std::uint32_t chunk_size) {
  if (chunk_size == 0) throw std::invalid_argument("split_chunks: chunk size must be positive");
  std::vector<ByteView> chunks;
  chunks.reserve(plaintext.size() / chunk_size + 1);
  for (std::size_t offset = 0; offset < plaintext.size(); offset += chunk_size) {
    chunks.push_back(plaintext.subspan(offset, std::min<std::size_t>(chunk_size, plaintext.size() - offset)));
  }
  return chunks;
}

}  // namespace coffer::crypto
