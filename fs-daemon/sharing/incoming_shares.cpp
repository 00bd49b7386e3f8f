#include "sharing/incoming_shares.hpp"

#include <map>

#include <spdlog/spdlog.h>

#include "crypto/grant_seal.hpp"

namespace coffer::sharing {

ServerIncomingShares::ServerIncomingShares(remote::ShareApi& api, profile::KnownKeys& known_keys,
                                           crypto::X25519KeyPair identity, std::string user)
    : api_(api), known_keys_(known_keys), identity_(std::move(identity)), user_(std::move(user)) {}

Result<std::vector<IncomingShare>> ServerIncomingShares::list() {
  auto lists = api_.list_shares();
  if (!lists) return std::move(lists).error();
  std::map<std::string, Result<Bytes>> granter_keys;  // fetched and checked once per call
  std::vector<IncomingShare> shares;
  for (const auto& share : lists->incoming) {
    auto known = granter_keys.find(share.granted_by);
    if (known == granter_keys.end()) {
      Result<Bytes> key = api_.public_key(share.granted_by);
      if (key) {
        auto sighting = known_keys_.check(share.granted_by, *key);
        if (!sighting) key = std::move(sighting).error();
      }
      known = granter_keys.emplace(share.granted_by, std::move(key)).first;
    }
    if (!known->second) {
      if (known->second.error().code == Errc::unavailable) return known->second.error();
      report_once(share, known->second.error().message);
      continue;
    }
    auto opened = open(share, *known->second);
    if (!opened) {
      report_once(share, opened.error().message);
      continue;
    }
    shares.push_back(std::move(*opened));
  }
  return shares;
}

Result<IncomingShare> ServerIncomingShares::open(const remote::ShareInfo& share, ByteView granter_key) {
  auto grant = crypto::open_grant(identity_, granter_key, share.sealed_key, share.node_id, user_);
  if (!grant) return std::move(grant).error();
  if (grant->owner != share.owner) return make_error(Errc::integrity, "the grant names another owner");
  const bool is_folder = share.node.type == remote::NodeType::folder;
  if (grant->is_folder != is_folder) return make_error(Errc::integrity, "the grant names another kind of node");
  return IncomingShare{share.node_id, share.owner, grant->name, share.role, is_folder, std::move(grant->key),
                       share.node};
}

void ServerIncomingShares::report_once(const remote::ShareInfo& share, const std::string& why) {
  std::lock_guard guard(mutex_);
  if (!reported_.insert(share.node_id + "\n" + why).second) return;
  spdlog::warn("sharing: the share of node {} from {} (granted by {}) is left out: {}", share.node_id, share.owner,
               share.granted_by, why);
}

}  // namespace coffer::sharing
