#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/bytes.hpp"
#include "crypto/fernet.hpp"
#include "crypto/hash.hpp"
#include "util/result.hpp"

namespace coffer::crypto {

// A commitment to a folder's whole set of entries (DESIGN.md section 3), collision resistant
// and cheap to update one entry at a time. Each entry is a leaf (name tag, MAC of its sealed
// entry key). The leaves fall into 256 buckets by the first byte of the tag:
//   bucket[b]  = SHA-256(tag || mac for each leaf of bucket b, in increasing tag order)
//                (SHA-256 of the empty string for an empty bucket)
//   commitment = SHA-256("coffer/v1/folder-set" || u64 leaf count || bucket[0] || ... || bucket[255])
// A change re-hashes one bucket and the 8 KiB of bucket digests, not the whole folder.
// Not thread-safe.
class FolderCommitment {
 public:
  using Tag = std::array<std::uint8_t, 32>;

  // Adds or replaces the leaf of `tag`.
  void set(const Tag& tag, const Sha256Digest& entry_mac);
  void erase(const Tag& tag);
  std::optional<Sha256Digest> find(const Tag& tag) const;
  std::uint64_t size() const noexcept;
  Sha256Digest digest() const;  // recomputes only buckets changed since the last call

  // The wire's 64-hex tag; Errc::invalid_argument for anything else.
  static Result<Tag> tag_from_hex(std::string_view hex);

 private:
  struct Bucket {
    std::map<Tag, Sha256Digest> leaves;
    mutable std::optional<Sha256Digest> digest;  // empty: changed since last computed
  };
  std::array<Bucket, 256> buckets_;
  std::uint64_t size_ = 0;
};

// A folder's sealed record: which revision of its entry set this is and a commitment to that
// set. Sealed under the folder key's `folder` subkey:
//   plaintext = 'F' (0x46) || format version || node id || u64 revision || u64 entry count
//               || commitment (32 bytes)
struct FolderRecord {
  std::string node_id;
  std::uint64_t revision = 0;
  std::uint64_t entry_count = 0;
  Sha256Digest commitment{};
  friend bool operator==(const FolderRecord&, const FolderRecord&) = default;
};

// Throws std::invalid_argument for a node id outside 1..255 bytes.
Bytes seal_folder_record(const FernetKey& folder_key, const FolderRecord& record);
// Errc::integrity on any tampering, an unknown kind or format version, or another node id.
Result<FolderRecord> open_folder_record(const FernetKey& folder_key, std::string_view expected_node_id,
                                        ByteView sealed);

}  // namespace coffer::crypto
