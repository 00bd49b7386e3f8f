#include "server/service/grant_changes.hpp"

#include <limits>

#include "server/service/tree_ops.hpp"

namespace coffer::server::service {

std::string grant_detail(const std::string& node_id, const std::string& grantee, storage::Access role,
                         const std::string& by) {
  return "node=" + node_id + " grantee=" + grantee + " role=" + storage::access_name(role) + " by=" + by;
}

Status remove_grant(storage::Transaction& txn, const Caller& by, const std::string& node_id, std::int64_t grantee_id,
                    std::int64_t now) {
  COFFER_TRY_STATUS(txn.grants().remove(node_id, grantee_id));
  return record_change(txn, by, grantee_id, node_id, std::nullopt, kUnsharedKind, now);
}

Status revoke_grants_of(storage::Transaction& txn, const storage::UserRecord& user, bool made_too,
                        const std::string& by, const std::string& address, std::int64_t now) {
  auto grants = txn.grants().list_involving(user.id, std::numeric_limits<std::int64_t>::max());
  if (!grants) return grants.error();
  for (const auto& listing : *grants) {
    const auto& grant = listing.grant;
    const bool involved = grant.grantee_id == user.id || listing.owner_id == user.id ||
                          (made_too && grant.granted_by == user.id);
    if (!involved) continue;
    COFFER_TRY_STATUS(remove_grant(txn, Caller{}, grant.node_id, grant.grantee_id, now));
    const std::string detail = grant_detail(grant.node_id, listing.grantee, grant.access, by);
    COFFER_TRY_STATUS(txn.audit().append(storage::AuditRecord{0, now, "share_revoked", user.name, address, detail}));
  }
  return {};
}

}  // namespace coffer::server::service
