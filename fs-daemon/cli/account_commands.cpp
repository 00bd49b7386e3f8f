#include "cli/account_commands.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <iostream>

#include "cli/daemon_link.hpp"
#include "cli/login_flow.hpp"
#include "cli/password_proof.hpp"
#include "cli/password_prompt.hpp"
#include "client/tls_pin.hpp"
#include "crypto/encoding.hpp"
#include "crypto/folder_record.hpp"
#include "crypto/kdf.hpp"
#include "crypto/keys.hpp"
#include "crypto/random.hpp"
#include "sync/record_meta.hpp"

namespace coffer::cli {
namespace {

struct AccountOptions {
  std::string server;
  std::string user;
  std::string invite;
  std::string device = default_device_name();
  std::optional<std::string> password_file;
  std::optional<std::string> new_password_file;
  std::optional<std::string> accept_fingerprint;
  bool force = false;
};

std::string_view text_of(const SecureBytes& bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

std::optional<profile::Login> previous_login(const profile::ProfilePaths& paths) {
  auto login = profile::load_login(paths);
  if (!login) return std::nullopt;
  return std::move(login).value();
}

void finish_login(const char* command, const profile::ProfilePaths& paths, const LoginOutcome& outcome) {
  check(command, profile::save_login(paths, outcome.login));
  const auto& info = outcome.login.info;
  std::cout << "Logged in to " << info.server_url << " as " << info.user << " (device " << info.device << ").\n";
  if (outcome.newly_pinned) {
    std::cout << "Pinned the server's TLS certificate, SHA-256 fingerprint:\n  " << info.tls_fingerprint << '\n';
  }
}

void run_login(const GlobalOptions& global, const AccountOptions& options) {
  auto paths = paths_of(global);
  auto config = config_of("login", paths);
  LoginRequest request{value_or_fail("login", normalize_server_url(options.server)), options.user, options.device,
                       options.accept_fingerprint};
  auto password = value_or_fail("login", read_password("Password for " + options.user, options.password_file, false));
  auto outcome = value_or_fail("login", log_in(request, text_of(password), config, previous_login(paths)));
  finish_login("login", paths, outcome);
}

// The root folder's first attribute record: a folder owned by the registering user.
Bytes root_attributes(const std::string& root_id, const crypto::FernetKey& root_key) {
  crypto::AttributeRecord record;
  record.node_id = root_id;
  record.revision = 1;
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  crypto::Timestamp stamp{now.tv_sec, static_cast<std::uint32_t>(now.tv_nsec)};
  record.attributes.mode = S_IFDIR | 0755;
  record.attributes.uid = ::getuid();
  record.attributes.gid = ::getgid();
  record.attributes.atime = record.attributes.mtime = record.attributes.ctime = stamp;
  sync::set_content_meta(record.attributes, {0, 0});
  return crypto::seal_attribute_record(root_key, record);
}

void run_register(const GlobalOptions& global, const AccountOptions& options) {
  auto paths = paths_of(global);
  auto config = config_of("register", paths);
  std::string server = value_or_fail("register", normalize_server_url(options.server));
  auto password = value_or_fail("register", read_password("New password", options.password_file, true));
  client::Registration registration;
  registration.invite = options.invite;
  registration.kdf = crypto::KdfParams::fresh();
  auto keys = value_or_fail("register", crypto::derive_login_keys(text_of(password), registration.kdf));
  auto bundle = crypto::UserKeyBundle::generate();
  auto root_key = crypto::FernetKey::generate();
  registration.auth_key = keys.auth_key;
  registration.key_bundle = crypto::seal_key_bundle(keys.kek, bundle);
  registration.public_key.assign(bundle.identity.public_key.begin(), bundle.identity.public_key.end());
  registration.root_node_id = crypto::hex_encode(crypto::random_bytes(16));
  registration.root_wrapped_key = crypto::wrap_key(bundle.master_key, root_key);
  registration.root_attributes = root_attributes(registration.root_node_id, root_key);
  registration.root_folder_record = crypto::seal_folder_record(
      root_key, crypto::FolderRecord{registration.root_node_id, 1, 0, crypto::FolderCommitment().digest()});

  auto http_settings = http_options(server, config);
  http_settings.pinned_fingerprint = options.accept_fingerprint.value_or("");
  http_settings.trust_on_first_use = !options.accept_fingerprint;
  client::ApiClient api(std::make_shared<client::HttpClient>(http_settings));
  auto user = value_or_fail("register", api.register_user(registration));
  std::cout << "Registered " << user << "; the keys were made on this computer.\n";
  LoginRequest request{server, user, options.device, api.http().observed_fingerprint()};
  if (request.accept_fingerprint->empty()) request.accept_fingerprint.reset();
  auto outcome = value_or_fail("register", log_in(request, text_of(password), config, std::nullopt));
  outcome.newly_pinned = !api.http().observed_fingerprint().empty() && !options.accept_fingerprint;
  finish_login("register", paths, outcome);
}

void run_logout(const GlobalOptions& global, const AccountOptions& options) {
  auto paths = paths_of(global);
  auto login = value_or_fail("logout", profile::load_login(paths));
  if (daemon_running(paths)) fail("logout", "a mount of this profile is running; unmount it first");
  auto pending = pending_journal_ops(paths, login.keys);
  if (pending > 0 && !options.force) {
    fail("logout", std::to_string(pending) +
                       " changes are not on the server yet; run `coffer sync`, or log out with --force to drop them");
  }
  auto config = config_of("logout", paths);
  auto status = connect(login.info, config)->delete_current_session();
  if (!status && status.error().code != Errc::unauthenticated) {
    std::cerr << "coffer logout: the server did not end the session (" << status.error().message << ")\n";
  }
  check("logout", profile::remove_login(paths));
  std::cout << "Logged out of " << login.info.server_url << ".\n";
}

void run_passwd(const GlobalOptions& global, const AccountOptions& options) {
  auto paths = paths_of(global);
  auto config = config_of("passwd", paths);
  auto login = value_or_fail("passwd", profile::load_login(paths));
  auto api = connect(login.info, config);
  auto current = prove_password("passwd", *api, "Current password", options.password_file);
  auto fresh = value_or_fail("passwd", read_password("New password", options.new_password_file, true));
  auto kdf = crypto::KdfParams::fresh();
  auto new_keys = value_or_fail("passwd", crypto::derive_login_keys(text_of(fresh), kdf));
  auto changed = api->change_password(current.keys.auth_key, kdf, new_keys.auth_key,
                                      crypto::seal_key_bundle(new_keys.kek, current.bundle));
  if (!changed && changed.error().code == Errc::proof_failed) fail("passwd", "the server refused the current password");
  check("passwd", changed);
  std::cout << "Password changed; other sessions of " << login.info.user << " were logged out.\n";
}

}  // namespace

void add_account_commands(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<AccountOptions>();

  auto* login = app.add_subcommand("login", "Log in to a Coffer server and keep the session and keys in the profile");
  login->add_option("--server", options->server, "Server URL, https://HOST:PORT (http:// on loopback)")->required();
  login->add_option("--user", options->user, "User name")->required();
  login->add_option("--password-file", options->password_file, "Read the password from the first line of FILE");
  login->add_option("--device", options->device, "Name of this device in `session list` and in conflicted copies' names (default: host name)");
  login->add_option("--accept-fingerprint", options->accept_fingerprint,
                    "Pin this SHA-256 certificate fingerprint (AB:CD:...) instead of the known one")
      ->transform([](std::string text) { return client::normalize_fingerprint(text); });
  login->callback([&global, options] { run_login(global, *options); });

  auto* logout = app.add_subcommand("logout", "End the session and remove the login and keys from the profile");
  logout->add_flag("--force", options->force, "Log out even if changes are not on the server yet (they are lost)");
  logout->callback([&global, options] { run_logout(global, *options); });

  auto* reg = app.add_subcommand("register", "Create your account with an invite code; the keys are made here");
  reg->add_option("--server", options->server, "Server URL, https://HOST:PORT (http:// on loopback)")->required();
  reg->add_option("--invite", options->invite, "The one-time code from `coffer-admin user invite`")->required();
  reg->add_option("--password-file", options->password_file, "Read the new password from the first line of FILE");
  reg->add_option("--device", options->device, "Name of this device (default: host name)");
  reg->add_option("--accept-fingerprint", options->accept_fingerprint,
                  "Expect this SHA-256 certificate fingerprint (AB:CD:...)")
      ->transform([](std::string text) { return client::normalize_fingerprint(text); });
  reg->callback([&global, options] { run_register(global, *options); });

  auto* passwd = app.add_subcommand("passwd", "Change the password (the keys stay; other sessions end)");
  passwd->add_option("--password-file", options->password_file, "Read the current password from FILE");
  passwd->add_option("--new-password-file", options->new_password_file, "Read the new password from FILE");
  passwd->callback([&global, options] { run_passwd(global, *options); });
}

}  // namespace coffer::cli
