#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "crypto/bytes.hpp"
#include "crypto/fernet.hpp"
#include "util/result.hpp"

namespace coffer::crypto {

struct Timestamp {
  std::int64_t sec = 0;
  std::uint32_t nsec = 0;
  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};

// POSIX attributes of a node, kept only inside encrypted records.
struct Attributes {
  std::uint32_t mode = 0;  // type bits and permission bits, as in st_mode
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
  std::uint64_t rdev = 0;  // st_rdev of character and block device nodes
  Timestamp atime, mtime, ctime;
  std::map<std::string, Bytes> xattrs;
  std::string symlink_target;  // only for symlinks
  friend bool operator==(const Attributes&, const Attributes&) = default;
};

// Limits of the record formats (Linux's own limits): a name of at most 255 bytes, a value of
// at most 64 KiB, a symlink target of at most 4095 bytes, nanoseconds below 10^9.
inline constexpr std::size_t kMaxXattrNameSize = 255;
inline constexpr std::size_t kMaxXattrValueSize = 65536;
inline constexpr std::size_t kMaxSymlinkTargetSize = 4095;
// Errc::invalid_argument naming the first field outside those limits. Sealing checks this and
// throws std::invalid_argument, so callers check first (the VFS returns ERANGE, E2BIG, ...).
Status check_attributes(const Attributes& attributes);

// The per-node attribute record: a Fernet token under the node key binding the node id and a
// revision number (the client refuses a revision lower than one it has seen).
struct AttributeRecord {
  std::string node_id;
  std::uint64_t revision = 0;
  Attributes attributes;
  friend bool operator==(const AttributeRecord&, const AttributeRecord&) = default;
};

// Sealed under the node key's attributes subkey (crypto/subkeys.hpp).
Bytes seal_attribute_record(const FernetKey& node_key, const AttributeRecord& record);
// Fails with Errc::integrity on any tampering or when the sealed node id differs from
// `expected_node_id`.
Result<AttributeRecord> open_attribute_record(const FernetKey& node_key, std::string_view expected_node_id,
                                              ByteView sealed);

}  // namespace coffer::crypto
