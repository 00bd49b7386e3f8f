#pragma once

#include <string>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/fernet.hpp"
#include "crypto/hash.hpp"
#include "util/result.hpp"

namespace coffer::crypto {

inline constexpr std::uint32_t kDefaultChunkSize = 1u << 20;

// A chunk id is SHA-256 of the chunk's stored bytes (the raw Fernet token); on the wire and in
// file names it is 64 lowercase hex characters.
struct ChunkId {
  Sha256Digest digest{};
  std::string hex() const;
  static Result<ChunkId> from_hex(std::string_view text);
  static ChunkId of(ByteView stored);
  friend bool operator==(const ChunkId&, const ChunkId&) = default;
};

struct EncryptedChunk {
  ChunkId id;
  Bytes stored;  // raw Fernet token under the file key
};

EncryptedChunk encrypt_chunk(const FernetKey& file_key, ByteView plaintext);
// Checks the stored bytes hash to `expected` (Errc::integrity otherwise), then the Fernet MAC
// (Errc::integrity), then decrypts.
Result<Bytes> decrypt_chunk(const FernetKey& file_key, const ChunkId& expected, ByteView stored);

// Splits plaintext into chunk_size pieces (the last may be shorter; empty input gives none).
std::vector<ByteView> split_chunks(ByteView plaintext, std::uint32_t chunk_size);

}  // namespace coffer::crypto
