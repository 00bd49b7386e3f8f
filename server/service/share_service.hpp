#pragma once

#include <optional>
#include <string>

#include "protocol/shares.hpp"
#include "server/service/admin_service.hpp"
#include "server/service/caller.hpp"
#include "server/service/context.hpp"
#include "server/service/outcome.hpp"

namespace coffer::server::service {

// Sharing (docs/api.md, "Sharing"; docs/server.md, "Sharing"): grants created, changed, revoked
// and listed. The access check (acl::check_access) is what makes a grant count; this service
// only decides who may change the grants. Every change is a `shared` or `unshared` row in the
// grantee's change feed and an audit record.
class ShareService {
 public:
  explicit ShareService(Context& context) : context_(context) {}

  struct Granted {
    protocol::Share share;  // as the caller sees it, with the sealed key, node and path
    bool created = false;   // a new grant (false: an existing one changed)
  };
  // POST /v1/shares: needs the manage role on the node (its owner has it).
  Outcome<Granted> grant(const Caller& caller, const protocol::ShareRequest& request);
  // DELETE /v1/shares/{node_id}/{grantee}: by a manager of the node, or by the grantee (leaving).
  Outcome<Done> revoke(const Caller& caller, const std::string& node_id, const std::string& grantee);
  // GET /v1/shares.
  Outcome<protocol::ShareLists> list(const Caller& caller);

  // GET /v1/admin/shares and `coffer-admin share list`: grants where the user is the owner, the
  // grantee or the granter (all without one), without sealed keys, nodes or paths.
  Outcome<protocol::AdminShareList> admin_list(const std::optional<std::string>& user);
  // `coffer-admin share revoke`: audited as admin_share_revoke.
  Outcome<Done> admin_revoke(const Actor& actor, const std::string& node_id, const std::string& grantee);

 private:
  Context& context_;
};

}  // namespace coffer::server::service
