#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/admin.hpp"
#include "protocol/auth.hpp"
#include "server/service/accounts.hpp"
#include "server/service/context.hpp"
#include "server/service/outcome.hpp"

namespace coffer::server::service {

// Who performs an admin action, for the audit log: an admin's session, or coffer-admin on the
// server machine (address "local").
struct Actor {
  std::string name;
  std::string address;
};

struct SessionSummary {
  storage::SessionRecord session;
  std::string user;
};

// Administration shared by coffer-admin and the /v1/admin routes. Every change is audited.
class AdminService {
 public:
  explicit AdminService(Context& context) : context_(context) {}

  Outcome<protocol::AdminUserList> users();
  Outcome<protocol::ServerStats> stats();
  Outcome<protocol::AuditList> audit(std::int64_t since, std::size_t limit);

  Outcome<std::int64_t> add_user(const Actor& actor, const NewAccount& account);
  // A one-time code for `coffer register`; only its hash is stored.
  Outcome<std::string> invite(const Actor& actor, const std::string& name, bool admin);
  // Disabling also revokes every session of the user and every grant to them or on their nodes
  // (revoke_grants_of); enabling brings none back. Deleting revokes those and the grants they made.
  Outcome<Done> set_disabled(const Actor& actor, const std::string& name, bool disabled);
  Outcome<Done> remove_user(const Actor& actor, const std::string& name);
  Outcome<Done> set_quota(const Actor& actor, const std::string& name, std::optional<std::uint64_t> quota);
  Outcome<std::vector<SessionSummary>> sessions(const std::optional<std::string>& user);
  Outcome<Done> revoke_session(const Actor& actor, const std::string& session_id);

 private:
  Context& context_;
};

}  // namespace coffer::server::service
