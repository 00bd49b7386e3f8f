#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "remote/types.hpp"
#include "util/result.hpp"

namespace coffer::remote {

// A grant's role: read < write < manage; manage may also share and unshare (docs/api.md).
enum class ShareRole { read, write, manage };

const char* share_role_name(ShareRole role) noexcept;
std::optional<ShareRole> share_role_from_name(std::string_view name) noexcept;

// One grant as GET /v1/shares lists it.
struct ShareInfo {
  std::string node_id;
  std::string owner;
  std::string grantee;
  std::string granted_by;
  ShareRole role = ShareRole::read;
  std::int64_t created_at = 0;
  Bytes sealed_key;  // the sealed grant (crypto/grant_seal.hpp)
  NodeInfo node;
  // The entries from the top of what the caller can read down to the shared node's own entry;
  // empty for a share with the caller (a grantee cannot read the parent).
  std::vector<EntryInfo> path;
};

struct ShareLists {
  std::vector<ShareInfo> outgoing;  // grants on the caller's nodes, and grants the caller made
  std::vector<ShareInfo> incoming;  // grants to the caller
};

// The sharing routes of docs/api.md. Kept apart from RemoteApi: only the share commands and
// the incoming shares need them. Thread-safe.
class ShareApi {
 public:
  virtual ~ShareApi() = default;

  virtual Result<ShareLists> list_shares() = 0;
  // Creates the grant, or replaces the role and sealed key of an existing one.
  virtual Result<ShareInfo> put_share(const std::string& node_id, const std::string& grantee, ShareRole role,
                                      ByteView sealed_key) = 0;
  virtual Status delete_share(const std::string& node_id, const std::string& grantee) = 0;
  // The user's X25519 public key as the server gives it (32 bytes); Errc::not_found for no such user.
  virtual Result<Bytes> public_key(const std::string& user) = 0;
};

}  // namespace coffer::remote
