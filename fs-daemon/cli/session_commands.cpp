#include "cli/session_commands.hpp"

#include <ctime>
#include <iomanip>
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/password_proof.hpp"

namespace coffer::cli {
namespace {

struct SessionOptions {
  std::string session_id;
  bool all_others = false;
  std::optional<std::string> password_file;
  bool json = false;
};

struct LoggedIn {
  profile::Login login;
  std::shared_ptr<client::ApiClient> api;
};

LoggedIn logged_in(const char* command, const GlobalOptions& global) {
  auto paths = paths_of(global);
  auto config = config_of(command, paths);
  auto login = value_or_fail(command, profile::load_login(paths));
  auto api = connect(login.info, config);
  return LoggedIn{std::move(login), std::move(api)};
}

void print_json(const std::vector<client::SessionInfo>& sessions) {
  nlohmann::json listed = nlohmann::json::array();
  for (const auto& session : sessions) {
    listed.push_back({{"session_id", session.session_id}, {"created_at", session.created_at},
                      {"last_seen", session.last_seen}, {"device", session.device}, {"current", session.current}});
  }
  std::cout << nlohmann::json{{"sessions", listed}}.dump(2) << '\n';
}

void run_list(const GlobalOptions& global, const SessionOptions& options) {
  auto session = logged_in("sessions", global);
  auto sessions = value_or_fail("sessions", session.api->list_sessions());
  if (options.json) return print_json(sessions);
  std::cout << std::left << std::setw(34) << "SESSION" << std::setw(18) << "CREATED" << std::setw(18) << "LAST USED"
            << "DEVICE\n";
  for (const auto& session : sessions) {
    std::cout << std::setw(34) << session.session_id << std::setw(18) << local_time(session.created_at, false)
              << std::setw(18) << local_time(session.last_seen, false) << session.device
              << (session.current ? "  (this profile)" : "") << '\n';
  }
}

void revoke_others(const LoggedIn& session, const SessionOptions& options) {
  auto proven = prove_password("sessions revoke", *session.api, "Password for " + session.login.info.user,
                               options.password_file);
  auto revoked = session.api->revoke_other_sessions(proven.keys.auth_key);
  if (!revoked && revoked.error().code == Errc::proof_failed) {
    fail("sessions revoke", "the server refused the password");
  }
  std::cout << "Ended " << value_or_fail("sessions revoke", std::move(revoked)) << " other sessions of "
            << session.login.info.user << "; this profile stays logged in.\n";
}

void revoke_one(const LoggedIn& session, const std::string& id) {
  if (id == session.login.info.session_id) {
    fail("sessions revoke", id + " is this profile's session; use `coffer logout` to end it");
  }
  auto revoked = session.api->revoke_session(id);
  if (!revoked && revoked.error().code == Errc::not_found) fail("sessions revoke", "no live session " + id + " of yours");
  check("sessions revoke", revoked);
  std::cout << "Ended session " << id << ".\n";
}

void run_revoke(const GlobalOptions& global, const SessionOptions& options) {
  if (options.all_others == !options.session_id.empty()) {
    fail("sessions revoke", "name one session ID, or --all-others");
  }
  auto session = logged_in("sessions revoke", global);
  if (options.all_others) return revoke_others(session, options);
  revoke_one(session, options.session_id);
}

}  // namespace

void add_session_commands(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<SessionOptions>();
  auto* sessions = app.add_subcommand("sessions", "List your account's live sessions (devices logged in)");
  auto* revoke = sessions->add_subcommand("revoke", "End one session, or every session but this profile's");
  auto* id = revoke->add_option("ID", options->session_id, "The session to end, as `coffer sessions` lists it");
  auto* all = revoke->add_flag("--all-others", options->all_others,
                               "End every other session of the account; asks for the password as proof");
  id->excludes(all);
  revoke->add_option("--password-file", options->password_file,
                     "With --all-others: read the password from the first line of FILE")
      ->needs(all);
  revoke->callback([&global, options] { run_revoke(global, *options); });
  // The list is the command's own work only when no subcommand was named (CLI11 runs a
  // parent's callback after its subcommand's).
  sessions->add_flag("--json", options->json, "Print JSON (session_id, created_at, last_seen, device, current)");
  sessions->callback([&global, sessions, options] {
    if (sessions->get_subcommands().empty()) run_list(global, *options);
  });
}

}  // namespace coffer::cli
