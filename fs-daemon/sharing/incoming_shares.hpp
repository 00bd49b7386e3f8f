#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "crypto/fernet.hpp"
#include "crypto/keys.hpp"
#include "profile/known_keys.hpp"
#include "remote/share_api.hpp"
#include "util/result.hpp"

namespace coffer::sharing {

// A node another user shared with this one, opened: its key comes from the sealed grant.
struct IncomingShare {
  std::string node_id, owner, name;
  remote::ShareRole role;
  bool is_folder;
  crypto::FernetKey key;
  remote::NodeInfo node;
};

class IncomingShares {
 public:
  virtual ~IncomingShares() = default;
  // Grants that fail to open or whose granter key changed are left out and logged (once).
  virtual Result<std::vector<IncomingShare>> list() = 0;
};

// The shares of GET /v1/shares, each opened only after its granter's public key passed the
// profile's known keys (trust on first use) and the grant verified as sealed by that key for
// this user and this node. A share whose grant does not open is left out and logged once: the
// server (or a granter) is lying about it, and the rest of the shares stay usable.
class ServerIncomingShares final : public IncomingShares {
 public:
  ServerIncomingShares(remote::ShareApi& api, profile::KnownKeys& known_keys, crypto::X25519KeyPair identity,
                       std::string user);

  Result<std::vector<IncomingShare>> list() override;

 private:
  Result<IncomingShare> open(const remote::ShareInfo& share, ByteView granter_key);
  void report_once(const remote::ShareInfo& share, const std::string& why);

  remote::ShareApi& api_;
  profile::KnownKeys& known_keys_;
  const crypto::X25519KeyPair identity_;
  const std::string user_;
  std::mutex mutex_;                // guards reported_
  std::set<std::string> reported_;  // node id and reason of each refusal already logged
};

}  // namespace coffer::sharing
