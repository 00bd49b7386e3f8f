#pragma once

#include <optional>
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

// The unit of a chunk's occupied space, as ext4's blocks: what st_blocks counts (docs/crypto.md 11).
inline constexpr std::uint32_t kDataBlockSize = 4096;

// How many kDataBlockSize blocks of `plaintext` hold a non-zero byte (a shorter last block
// counts as one). 0: the chunk is all zeros, a hole.
std::uint32_t count_data_blocks(ByteView plaintext) noexcept;
// The most data blocks a chunk of `length` plaintext bytes can hold.
constexpr std::uint64_t max_data_blocks(std::uint64_t length) { return (length + kDataBlockSize - 1) / kDataBlockSize; }

// How a manifest names a stored chunk: its id (where the server keeps it), the token's Fernet
// MAC (what a read checks, so a read hashes the chunk once: the HMAC), and how many of its
// 4 KiB blocks hold data (1 or more; blocks of zeros occupy nothing, as in a sparse file).
struct ChunkRef {
  ChunkId id;
  Sha256Digest mac{};
  std::uint32_t data_blocks = 1;
  friend bool operator==(const ChunkRef&, const ChunkRef&) = default;
};

struct EncryptedChunk {
  ChunkId id;
  Bytes stored;  // raw Fernet token under the file key
  std::uint32_t data_blocks = 0;  // count_data_blocks of the plaintext
  ChunkRef ref() const;
};

// Encrypts and computes the id (SHA-256 of the token), which the server checks on upload, and
// the plaintext's data blocks.
EncryptedChunk encrypt_chunk(const FernetKey& file_key, ByteView plaintext);
// The same, or nullopt for a chunk of zeros: a hole, nothing to encrypt, store or upload.
std::optional<EncryptedChunk> encrypt_chunk_or_hole(const FernetKey& file_key, ByteView plaintext);
// Compares the stored token's MAC with `expected_mac` (the manifest's) in constant time, then
// lets Fernet verify that MAC and decrypt: Errc::integrity for a token that is not the one
// the manifest names, or does not verify under the file key. No SHA-256 of the stored bytes.
Result<ChunkBytes> decrypt_chunk(const FernetKey& file_key, const Sha256Digest& expected_mac, ByteView stored);

// Splits plaintext into chunk_size pieces (the last may be shorter; empty input gives none).
std::vector<ByteView> split_chunks(ByteView plaintext, std::uint32_t chunk_size);

}  // namespace coffer::crypto
