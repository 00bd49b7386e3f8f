#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/attributes.hpp"
#include "crypto/bytes.hpp"
#include "remote/types.hpp"
#include "util/result.hpp"

// What the metadata cache's rows say (cache/metadata_cache.hpp seals them): enough to rebuild a
// folder's listing and its nodes without the server. JSON, inside the row's Fernet token.
namespace coffer::vfs {

struct CachedEntry {
  std::string name;
  std::string name_tag;
  std::string node_id;
};

// A folder's entries and the revision of its entry set they are current with.
struct CachedListing {
  std::uint64_t revision = 0;
  std::vector<CachedEntry> entries;
};

// One node as the mount knew it with nothing of it waiting for the server.
struct CachedNode {
  std::string node_id;
  remote::NodeType type = remote::NodeType::file;
  SecureBytes key;  // the node key's 32 raw bytes
  crypto::Attributes attrs;
  std::uint64_t size = 0;
  std::uint64_t stored = 0;  // plaintext bytes in stored chunks (st_blocks)
  bool size_unknown = false;
  std::uint32_t nlink = 1;
  std::uint64_t version = 0;  // content version on the server
};

SecureBytes encode_listing(const CachedListing& listing);
// Errc::integrity for anything encode_listing does not produce.
Result<CachedListing> decode_listing(ByteView bytes);
SecureBytes encode_node(const CachedNode& node);
Result<CachedNode> decode_node(const std::string& node_id, ByteView bytes);

}  // namespace coffer::vfs
