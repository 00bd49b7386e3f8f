#include "crypto/chunk.hpp"

#include <algorithm>
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

ChunkRef EncryptedChunk::ref() const {
  ChunkRef ref{id, {}};
  const ByteView token(stored);
  if (token.size() < ref.mac.size()) return ref;
  const ByteView mac = token.last(ref.mac.size());
  std::copy(mac.begin(), mac.end(), ref.mac.begin());
  return ref;
}

EncryptedChunk encrypt_chunk(const FernetKey& file_key, ByteView plaintext) {
  Bytes stored = fernet_encrypt_raw(file_key, plaintext);
  const ChunkId id = ChunkId::of(stored);
  return EncryptedChunk{id, std::move(stored)};
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
