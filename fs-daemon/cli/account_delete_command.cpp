#include "cli/account_delete_command.hpp"

#include <iostream>

#include "cli/daemon_link.hpp"
#include "cli/password_proof.hpp"
#include "cli/password_prompt.hpp"

namespace coffer::cli {
namespace {

constexpr const char* kCommand = "account delete";

struct DeleteOptions {
  std::optional<std::string> password_file;
  bool confirmed = false;  // --yes-delete-everything
};

// The user types the account's name on the terminal: a deliberate act that a stray command
// line or a pipe cannot stand in for.
void confirm_by_name(const profile::LoginInfo& login) {
  const std::string prompt = "This deletes the account " + login.user + " on " + login.server_url +
                             " with every file, version and share in it, for good.\nType the user name to confirm: ";
  auto typed = read_terminal_line(prompt);
  if (!typed) fail(kCommand, "no terminal to confirm on; use --yes-delete-everything in scripts");
  if (*typed != login.user) fail(kCommand, "that is not " + login.user + "; nothing was deleted");
}

void run_delete(const GlobalOptions& global, const DeleteOptions& options) {
  auto paths = paths_of(global);
  auto config = config_of(kCommand, paths);
  auto login = value_or_fail(kCommand, profile::load_login(paths));
  if (daemon_running(paths)) fail(kCommand, "a mount of this profile is running; unmount it first");
  if (!options.confirmed) confirm_by_name(login.info);
  auto api = connect(login.info, config);
  auto proven = prove_password(kCommand, *api, "Password for " + login.info.user, options.password_file);
  auto deleted = api->delete_account(proven.keys.auth_key, proven.account.user);
  if (!deleted && deleted.error().code == Errc::proof_failed) fail(kCommand, "the server refused the password");
  check(kCommand, deleted);
  // The session went with the account; what the profile still holds of it (the login, the
  // keys, the journal) is of no use any more.
  check(kCommand, profile::remove_login(paths));
  std::cout << "Deleted the account " << login.info.user << " on " << login.info.server_url
            << "; this profile is logged out.\n";
}

}  // namespace

void add_account_delete_command(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<DeleteOptions>();
  auto* account = app.add_subcommand("account", "Your account on the server");
  account->require_subcommand(1);
  auto* remove = account->add_subcommand("delete", "Delete your account and everything in it, for good");
  remove->add_option("--password-file", options->password_file, "Read the password from the first line of FILE");
  remove->add_flag("--yes-delete-everything", options->confirmed,
                   "Do not ask to type the user name (for scripts); the password is still needed");
  remove->callback([&global, options] { run_delete(global, *options); });
}

}  // namespace coffer::cli
