#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/json_reader.hpp"
#include "protocol/nodes.hpp"

namespace coffer::protocol {

// A grant's role (docs/api.md, "Sharing"): read < write < manage; manage may also share.
const std::vector<std::string_view>& share_roles();

// The sealed grant (docs/crypto.md, "Sealed grants"): opaque to the server.
inline constexpr std::size_t kMinSealedGrantBytes = 32;
inline constexpr std::size_t kMaxSealedGrantBytes = 2048;
const TextRule& sealed_grant_rule();

// A share's `path` holds at most this many entries (a folder tree deeper than this cannot be
// listed with its path).
inline constexpr std::size_t kMaxPathEntries = 4096;

// Each list of GET /v1/shares and GET /v1/admin/shares holds at most this many grants.
inline constexpr std::size_t kMaxShareList = 10000;

// SHARE: one grant. `sealed_key`, `node` and `path` are absent from the admin listing.
struct Share {
  std::string node_id;
  std::string owner;
  std::string grantee;
  std::string role;  // one of share_roles()
  std::string granted_by;
  std::int64_t created_at = 0;
  std::optional<std::string> sealed_key;  // base64url
  std::optional<Node> node;
  // The entries from the top of what the caller can read down to the shared node's own entry;
  // empty for an incoming share (the grantee cannot read the parent).
  std::vector<Entry> path;
  static Result<Share> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const Share& value);

// POST /v1/shares: creates a grant, or changes the role and sealed key of one.
struct ShareRequest {
  std::string node_id;
  std::string grantee;
  std::string role;
  std::string sealed_key;
  static Result<ShareRequest> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const ShareRequest& value);

// GET /v1/shares
struct ShareLists {
  std::vector<Share> outgoing;  // grants on the caller's nodes, and grants the caller made
  std::vector<Share> incoming;  // grants to the caller
  static Result<ShareLists> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const ShareLists& value);

// GET /v1/admin/shares?user=NAME
struct AdminShareList {
  std::vector<Share> shares;
  static Result<AdminShareList> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const AdminShareList& value);

}  // namespace coffer::protocol
