#pragma once

#include <cstdint>
#include <string>

#include "server/service/caller.hpp"
#include "server/storage/metadata_store.hpp"

namespace coffer::server::service {

// Steps every change of a grant shares (docs/server.md, "Sharing"), inside the caller's
// transaction: whoever makes the change (a manager, the grantee, an admin, the account's own
// deletion), the grantee hears of it in their change feed and the audit log keeps it.

// The audit detail of a grant change: "node=ID grantee=NAME role=ROLE by=NAME".
std::string grant_detail(const std::string& node_id, const std::string& grantee, storage::Access role,
                         const std::string& by);

// Removes the grant and appends an `unshared` change to the grantee's feed, made by `by`'s
// session (none for an admin or the server).
Status remove_grant(storage::Transaction& txn, const Caller& by, const std::string& node_id, std::int64_t grantee_id,
                    std::int64_t now);

// Revokes every grant `user` receives or that is on a node `user` owns, and with `made_too` every
// grant `user` made on others' nodes (an account that goes cannot stay their granter), each as
// remove_grant with a `share_revoked` audit record whose detail names `by` ("admin",
// "account_deletion"). Enabling the user again brings none back.
Status revoke_grants_of(storage::Transaction& txn, const storage::UserRecord& user, bool made_too,
                        const std::string& by, const std::string& address, std::int64_t now);

}  // namespace coffer::server::service
