#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/kdf.hpp"
#include "util/result.hpp"

namespace coffer::remote {

// A password link's scrypt parameters as the server keeps them (docs/api.md "Links"): the
// link's own salt and the creator's n, r, p.
struct LinkPassword {
  Bytes salt;
  crypto::KdfParams kdf;
};

// POST /v1/links. `link_id` is the base64url text of 16 random bytes the creator chose.
struct NewLink {
  std::string link_id;
  std::string node_id;
  std::string kind;  // "file" or "folder"
  Bytes sealed_key;  // crypto/link_seal.hpp
  std::optional<LinkPassword> password;
  Bytes label;  // the path sealed under the master key's link_label subkey
  std::optional<std::int64_t> expires_at;
  std::optional<std::int64_t> max_downloads;
};

// One of the caller's links as GET /v1/links lists it.
struct LinkInfo {
  std::string link_id;
  std::string node_id;
  std::string kind;
  Bytes label;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> expires_at;
  std::optional<std::int64_t> max_downloads;
  std::int64_t downloads = 0;
  bool password = false;
};

// The share-link routes of docs/api.md a link's creator uses (the reader's routes are the
// browser's). Kept apart from RemoteApi: only `coffer link` needs them. Thread-safe.
class LinkApi {
 public:
  virtual ~LinkApi() = default;

  // Returns created_at. Errc::already_exists for a link id in use, Errc::not_found or
  // Errc::permission_denied for a node the caller may not link (manage right needed).
  virtual Result<std::int64_t> create_link(const NewLink& link) = 0;
  virtual Result<std::vector<LinkInfo>> list_links() = 0;
  // Errc::not_found for an unknown (or already revoked) link, or someone else's.
  virtual Status delete_link(const std::string& link_id) = 0;
};

}  // namespace coffer::remote
