#include <iostream>

#include "protocol/formats.hpp"
#include "server/admin/commands.hpp"
#include "server/admin/output.hpp"

// coffer-admin share list|revoke: who may reach what. The grants show names, roles and times
// only: an admin never sees a sealed key, a node's name or its content.
namespace coffer::server::admin {
namespace {

struct ShareArgs {
  std::string user;
  std::string node_id;
  std::string grantee;
};

int list_shares(AdminEnv& env, const ShareArgs& args) {
  if (!args.user.empty() && !protocol::is_user_name(args.user)) {
    return fail(make_error(Errc::invalid_argument, "'" + args.user + "' is not a user name"));
  }
  auto services = env.services();
  if (!services) return fail(services.error());
  auto shares = (*services)->shares.admin_list(args.user.empty() ? std::nullopt : std::optional(args.user));
  if (!shares) return fail(shares.error());
  if (env.options().json) {
    print_json(std::cout, protocol::Json(*shares));
    return 0;
  }
  Table table({"OWNER", "NODE", "GRANTEE", "ROLE", "GRANTED BY", "CREATED"});
  for (const auto& s : shares->shares) {
    table.add({s.owner, s.node_id, s.grantee, s.role, s.granted_by, format_time(s.created_at)});
  }
  table.print(std::cout);
  return 0;
}

int revoke_share(AdminEnv& env, const ShareArgs& args) {
  if (!protocol::is_hex(args.node_id, protocol::kNodeIdLength)) {
    return fail(make_error(Errc::invalid_argument, "a node id is 32 lowercase hex characters"));
  }
  if (!protocol::is_user_name(args.grantee)) {
    return fail(make_error(Errc::invalid_argument, "'" + args.grantee + "' is not a user name"));
  }
  auto services = env.services();
  if (!services) return fail(services.error());
  auto done = (*services)->shares.admin_revoke(env.actor(), args.node_id, args.grantee);
  if (!done) return fail(done.error());
  if (env.options().json) {
    print_json(std::cout, protocol::Json{{"revoked", {{"node_id", args.node_id}, {"grantee", args.grantee}}}});
  } else {
    std::cout << "revoked the grant of " << args.node_id << " to " << args.grantee << "\n";
  }
  return 0;
}

}  // namespace

void add_share_commands(CLI::App& app, Action& action) {
  auto args = std::make_shared<ShareArgs>();
  auto* share = app.add_subcommand("share", "List and revoke sharing grants")->require_subcommand(1);
  auto* list = share->add_subcommand("list", "Grants where USER is the owner, the grantee or the granter (all without USER)");
  list->add_option("USER", args->user, "only grants involving this user");
  list->callback([&action, args] { action = [args](AdminEnv& env) { return list_shares(env, *args); }; });
  auto* revoke = share->add_subcommand("revoke", "Take a grant away at once (the grantee is told through the change feed)");
  revoke->add_option("NODE_ID", args->node_id, "the shared node (32 hex, from share list)")->required();
  revoke->add_option("GRANTEE", args->grantee, "the user the node is shared with")->required();
  revoke->callback([&action, args] { action = [args](AdminEnv& env) { return revoke_share(env, *args); }; });
}

}  // namespace coffer::server::admin
