#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/bytes.hpp"
#include "remote/types.hpp"
#include "util/result.hpp"

namespace coffer::remote {
enum class ShareRole { read, write, manage };
struct ShareInfo { std::string node_id, owner, grantee, granted_by; ShareRole role; std::int64_t created_at;
                   Bytes sealed_key; NodeInfo node; std::vector<EntryInfo> path; };
struct ShareLists { std::vector<ShareInfo> outgoing, incoming; };
class ShareApi {   // thread-safe
 public:
  virtual ~ShareApi() = default;
  virtual Result<ShareLists> list_shares() = 0;
  virtual Result<ShareInfo> put_share(const std::string& node_id, const std::string& grantee, ShareRole role, ByteView sealed_key) = 0;
  virtual Status delete_share(const std::string& node_id, const std::string& grantee) = 0;
  virtual Result<Bytes> public_key(const std::string& user) = 0;  // raw 32 bytes
};
}
