#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/auth.hpp"
#include "protocol/json_reader.hpp"

namespace coffer::protocol {

// Share links (docs/api.md, "Links"): the server keeps an id chosen by the client, the node,
// the sealed node key (opaque: its key is in the URL's fragment, and the password), a sealed
// label, the expiry and the download count.
inline constexpr std::size_t kLinkIdBytes = 16;
inline constexpr std::size_t kMaxSealedLinkKeyBytes = 1024;
inline constexpr std::size_t kMaxLinkLabelBytes = 4096;
inline constexpr std::size_t kLinkSaltBytes = 16;
inline constexpr std::size_t kMaxLinksPerUser = 1000;

// A link id: canonical base64url with padding of 16 bytes (24 characters).
const TextRule& link_id_rule();
bool is_link_id(std::string_view text);
const std::vector<std::string_view>& link_kinds();  // "file", "folder"

// The password of a password-protected link: the salt and KDF parameters the client derived
// its key with (the server never sees the password).
struct LinkPassword {
  std::string salt;  // base64url, 16 bytes
  KdfParams kdf;
  static Result<LinkPassword> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const LinkPassword& value);

// POST /v1/links
struct CreateLinkRequest {
  std::string link_id;
  std::string node_id;
  std::string kind;        // "file" | "folder"
  std::string sealed_key;  // base64url, at most 1 KiB
  std::optional<LinkPassword> password;
  std::string label;  // base64url, at most 4 KiB
  std::optional<std::int64_t> expires_at;
  std::optional<std::uint64_t> max_downloads;  // >= 1
  static Result<CreateLinkRequest> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const CreateLinkRequest& value);

struct CreateLinkResponse {
  std::string link_id;
  std::int64_t created_at = 0;
  static Result<CreateLinkResponse> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const CreateLinkResponse& value);

// One link of GET /v1/links.
struct LinkSummary {
  std::string link_id;
  std::string node_id;
  std::string kind;
  std::string label;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> expires_at;
  std::optional<std::uint64_t> max_downloads;
  std::uint64_t downloads = 0;
  bool password = false;
  static Result<LinkSummary> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const LinkSummary& value);

struct LinkList {
  std::vector<LinkSummary> links;
  static Result<LinkList> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const LinkList& value);

// GET /v1/links/{link_id}: what the link page shows before opening.
struct LinkInfo {
  std::string kind;
  std::optional<LinkPassword> password;
  std::optional<std::int64_t> expires_at;
  std::optional<std::uint64_t> max_downloads;
  std::uint64_t downloads = 0;
  std::string owner;
  static Result<LinkInfo> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const LinkInfo& value);

// POST /v1/links/{link_id}/open
struct LinkOpened {
  std::string node_id;
  std::string kind;
  std::string sealed_key;
  std::string token;
  std::int64_t token_expires_at = 0;
  std::string owner;
  static Result<LinkOpened> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const LinkOpened& value);

}  // namespace coffer::protocol
