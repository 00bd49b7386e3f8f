#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/attributes.hpp"
#include "crypto/chunk.hpp"
#include "util/result.hpp"

namespace coffer::crypto {

// A version of a file's content (DESIGN.md section 3).
struct Manifest {
  std::string node_id;
  std::uint64_t version = 0;
  std::uint64_t size = 0;  // plaintext bytes
  std::uint32_t chunk_size = kDefaultChunkSize;
  std::vector<std::optional<ChunkRef>> chunks;  // in file order; nullopt: a hole (reads as zeros, stores nothing)
  Attributes attributes;        // at commit time
  friend bool operator==(const Manifest&, const Manifest&) = default;
};

inline constexpr std::uint32_t kMaxChunkSize = 64u << 20;
inline constexpr std::size_t kMaxNodeIdSize = 255;

// The number of chunks a file of `size` bytes has (0 for an empty file); chunk_size > 0.
std::uint64_t chunk_count(std::uint64_t size, std::uint32_t chunk_size) noexcept;

// The bytes the manifest's stored chunks occupy: their data blocks (4 KiB each; blocks of
// zeros and holes occupy none), which is what st_blocks counts, as on ext4.
std::uint64_t stored_bytes(const Manifest& manifest) noexcept;

// Sealed under the file key's manifest subkey (crypto/subkeys.hpp). Throws
// std::invalid_argument for a manifest that could never be opened (chunk count not matching
// size and chunk size, chunk size 0 or above kMaxChunkSize, a chunk's data blocks 0 or more
// than its length holds, attributes outside their limits):
// that is a bug in the caller.
Bytes seal_manifest(const FernetKey& file_key, const Manifest& manifest);
// Fails with Errc::integrity on any tampering, or when the sealed node id differs from
// `expected_node_id`, or when the chunk count does not match size and chunk size.
Result<Manifest> open_manifest(const FernetKey& file_key, std::string_view expected_node_id, ByteView sealed);

}  // namespace coffer::crypto
