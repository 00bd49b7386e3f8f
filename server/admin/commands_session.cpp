#include <iostream>

#include "protocol/formats.hpp"
#include "server/admin/commands.hpp"
#include "server/admin/output.hpp"

// coffer-admin session list|revoke: every user's sessions, as the admin sees them.
namespace coffer::server::admin {
namespace {

struct SessionArgs {
  std::string user;
  std::string session_id;
};

int list_sessions(AdminEnv& env, const SessionArgs& args) {
  auto services = env.services();
  if (!services) return fail(services.error());
  auto sessions = (*services)->admin.sessions(args.user.empty() ? std::nullopt : std::optional(args.user));
  if (!sessions) return fail(sessions.error());
  protocol::Json json = protocol::Json::array();
  Table table({"SESSION", "USER", "DEVICE", "CREATED", "LAST SEEN", "EXPIRES"});
  for (const auto& [s, user] : *sessions) {
    json.push_back({{"session_id", s.id}, {"user", user}, {"device", s.device}, {"created_at", s.created_at},
                    {"last_seen", s.last_seen}, {"expires_at", s.expires_at}});
    table.add({s.id, user, s.device, format_time(s.created_at), format_time(s.last_seen), format_time(s.expires_at)});
  }
  env.options().json ? print_json(std::cout, protocol::Json{{"sessions", json}}) : table.print(std::cout);
  return 0;
}

int revoke_session(AdminEnv& env, const SessionArgs& args) {
  if (!protocol::is_hex(args.session_id, protocol::kSessionIdLength)) {
    return fail(make_error(Errc::invalid_argument, "a session id is 32 lowercase hex characters"));
  }
  auto services = env.services();
  if (!services) return fail(services.error());
  auto done = (*services)->admin.revoke_session(env.actor(), args.session_id);
  if (!done) return fail(done.error());
  env.options().json ? print_json(std::cout, protocol::Json{{"revoked", args.session_id}})
                     : void(std::cout << "revoked session " << args.session_id << "\n");
  return 0;
}

}  // namespace

void add_session_commands(CLI::App& app, Action& action) {
  auto args = std::make_shared<SessionArgs>();
  auto* session = app.add_subcommand("session", "List and revoke sessions")->require_subcommand(1);
  auto* list = session->add_subcommand("list", "Live sessions, of one user or of all");
  list->add_option("USER", args->user, "only this user's sessions");
  list->callback([&action, args] { action = [args](AdminEnv& env) { return list_sessions(env, *args); }; });
  auto* revoke = session->add_subcommand("revoke", "End a session at once");
  revoke->add_option("ID", args->session_id, "session id (32 hex, from session list)")->required();
  revoke->callback([&action, args] { action = [args](AdminEnv& env) { return revoke_session(env, *args); }; });
}

}  // namespace coffer::server::admin
