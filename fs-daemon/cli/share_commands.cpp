#include "cli/share_commands.hpp"

#include <algorithm>
#include <cctype>
#include <iomanip>
#include <iostream>

#include "cli/daemon_commands.hpp"
#include "cli/share_rotation.hpp"
#include "crypto/keys.hpp"
#include "profile/known_keys.hpp"

// The sharing commands (man/coffer.1, docs/client.md "Sharing").
namespace coffer::cli {
namespace {

struct ShareOptions {
  std::string path;
  std::string user;
  std::string fingerprint;
  bool read = false;
  bool write = false;
  bool manage = false;
  bool json = false;
  bool rotate = false;
};

void run_share(const GlobalOptions& global, const ShareOptions& options) {
  if (options.path.empty() || options.user.empty()) fail("share", "name a PATH and a USER (see `coffer share --help`)", 2);
  const char* role = options.manage ? "manage" : options.write ? "write" : "read";
  if (static_cast<int>(options.read) + options.write + options.manage != 1) {
    fail("share", "name one role: --read, --write or --manage", 2);
  }
  auto paths = paths_of(global);
  const std::string path = cloud_path(mountpoint_of("share", paths), options.path);
  upload_pending_first(paths);  // `mkdir Photos && coffer share Photos bob`
  auto answer = ask_daemon("share", paths, {{"request", "share"}, {"path", path}, {"user", options.user}, {"role", role}});
  std::cout << "Shared " << path << " with " << options.user << " (" << role << ").\n";
  const auto key = answer.value("key", std::string());
  const auto fingerprint = answer.value("fingerprint", std::string());
  if (key == "first") {
    std::cout << options.user << "'s key was seen for the first time: " << fingerprint << "\n"
              << "Compare it with " << options.user << " (they see it with `coffer whois " << options.user
              << "` on their own computer), then run `coffer trust " << options.user << " '" << fingerprint << "'`.\n";
  } else if (key == "known") {
    std::cout << options.user << "'s key is the one this profile saw before (" << fingerprint
              << "), not yet checked with them.\n";
  }
}

void run_unshare(const GlobalOptions& global, const ShareOptions& options) {
  auto paths = paths_of(global);
  const std::string mountpoint = mountpoint_of("unshare", paths);
  const std::string path = cloud_path(mountpoint, options.path);
  ask_daemon("unshare", paths, {{"request", "unshare"}, {"path", path}, {"user", options.user}});
  std::cout << options.user << " can no longer reach " << path << ". What they copied before stays theirs";
  if (!options.rotate) {
    std::cout << "; `coffer share rotate` keeps what changes from now on from the keys they had.\n";
    return;
  }
  std::cout << ".\n";
  rotate_share("unshare", paths, mountpoint, path);
}

void run_rotate(const GlobalOptions& global, const ShareOptions& options) {
  auto paths = paths_of(global);
  const std::string mountpoint = mountpoint_of("share rotate", paths);
  rotate_share("share rotate", paths, mountpoint, cloud_path(mountpoint, options.path));
}

void print_lines(const char* title, const nlohmann::json& lines, bool outgoing) {
  std::cout << title << ":\n";
  if (lines.empty()) std::cout << "  (none)\n";
  for (const auto& line : lines) {
    const auto who = outgoing ? line.value("grantee", std::string()) : line.value("owner", std::string());
    const auto path = line.value("path", std::string());
    std::cout << "  " << std::left << std::setw(7) << line.value("role", std::string()) << std::setw(18) << who << ' '
              << (path.empty() ? "?" : path);
    const auto by = line.value("granted_by", std::string());
    if (by != line.value("owner", std::string())) std::cout << "  (granted by " << by << ")";
    const auto error = line.value("error", std::string());
    if (!error.empty()) std::cout << "  refused: " << error;
    std::cout << '\n';
  }
}

void run_shares(const GlobalOptions& global, const ShareOptions& options) {
  auto paths = paths_of(global);
  mountpoint_of("shares", paths);
  auto answer = ask_daemon("shares", paths, {{"request", "shares"}});
  if (options.json) {
    std::cout << answer.dump(2) << '\n';
    return;
  }
  print_lines("Shared by you (role, with, path)", answer.value("outgoing", nlohmann::json::array()), true);
  print_lines("Shared with you (role, owner, path)", answer.value("incoming", nlohmann::json::array()), false);
}

struct UserKey {
  profile::LoginInfo login;
  Bytes public_key;
  std::string fingerprint;
};

UserKey fetch_key(const char* command, const GlobalOptions& global, const std::string& user) {
  auto paths = paths_of(global);
  auto config = config_of(command, paths);
  auto login = value_or_fail(command, profile::load_login(paths));
  auto api = connect(login.info, config);
  auto key = api->public_key(user);
  if (!key && key.error().code == Errc::not_found) fail(command, "no user " + user + " on " + login.info.server_url);
  Bytes public_key = value_or_fail(command, std::move(key));
  std::string fingerprint = crypto::key_fingerprint(public_key);
  return UserKey{std::move(login.info), std::move(public_key), std::move(fingerprint)};
}

const char* sighting_text(profile::KeySighting sighting) {
  switch (sighting) {
    case profile::KeySighting::first: return "first seen now, remembered; not yet checked with them";
    case profile::KeySighting::known: return "the key this profile saw before; not yet checked with them";
    case profile::KeySighting::verified: return "checked with them (coffer trust)";
  }
  return "";
}

void run_whois(const GlobalOptions& global, const ShareOptions& options) {
  auto paths = paths_of(global);
  auto fetched = fetch_key("whois", global, options.user);
  profile::KnownKeys known(paths.known_keys_file(), fetched.login.server_url);
  const bool self = options.user == fetched.login.user;
  std::string state;
  if (self) {
    auto login = value_or_fail("whois", profile::load_login(paths));
    auto identity = value_or_fail("whois", crypto::X25519KeyPair::from_private(login.keys.identity_private_key));
    if (!std::equal(identity.public_key.begin(), identity.public_key.end(), fetched.public_key.begin(),
                    fetched.public_key.end())) {
      fail("whois", "the server gives another key for you than your own (" + fetched.fingerprint +
                        "): it is lying; do not share until this is explained");
    }
    state = "your own key, as this profile holds it";
  } else {
    state = sighting_text(value_or_fail("whois", known.check(options.user, fetched.public_key)));
  }
  if (options.json) {
    std::cout << nlohmann::json{{"user", options.user}, {"fingerprint", fetched.fingerprint}, {"state", state}}.dump(2)
              << '\n';
    return;
  }
  std::cout << options.user << "\n  fingerprint: " << fetched.fingerprint << "\n  " << state << '\n';
}

// "F35E 5616..." or "f35e5616..." as the canonical "f35e 5616 ..." form.
std::string canonical_fingerprint(const std::string& text) {
  std::string hex;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == ':') continue;
    hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  std::string grouped;
  for (std::size_t i = 0; i < hex.size(); ++i) {
    if (i > 0 && i % 4 == 0) grouped.push_back(' ');
    grouped.push_back(hex[i]);
  }
  return grouped;
}

void run_trust(const GlobalOptions& global, const ShareOptions& options) {
  auto paths = paths_of(global);
  auto fetched = fetch_key("trust", global, options.user);
  if (canonical_fingerprint(options.fingerprint) != fetched.fingerprint) {
    fail("trust", "the server's key for " + options.user + " has the fingerprint " + fetched.fingerprint +
                      ", not the one you checked: nothing was trusted");
  }
  profile::KnownKeys known(paths.known_keys_file(), fetched.login.server_url);
  check("trust", known.trust(options.user, fetched.public_key));
  std::cout << "Trusted " << options.user << "'s key " << fetched.fingerprint << ".\n";
}

}  // namespace

void add_share_commands(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<ShareOptions>();
  const char* path_help = "A path inside the mount (absolute or relative), or a path from the cloud's root";

  auto* share = app.add_subcommand("share", "Share a folder or file with another user (read, write or manage)");
  // Not marked required, so that `share rotate PATH` parses; run_share checks them.
  share->add_option("PATH", options->path, path_help);
  share->add_option("USER", options->user, "The user to share with");
  auto* read = share->add_flag("--read", options->read, "They may read it");
  auto* write = share->add_flag("--write", options->write, "They may read and change it");
  auto* manage = share->add_flag("--manage", options->manage, "They may read, change and share it further");
  read->excludes(write)->excludes(manage);
  write->excludes(manage);
  auto* rotate = share->add_subcommand(
      "rotate", "Give a shared folder or file new keys: a re-encrypted copy takes its place, grants made again");
  rotate->add_option("PATH", options->path, path_help)->required();
  rotate->callback([&global, options] { run_rotate(global, *options); });
  // CLI11 runs a parent's callback after its subcommand's: sharing is the command's own work
  // only when no subcommand was named.
  share->callback([&global, share, options] {
    if (share->get_subcommands().empty()) run_share(global, *options);
  });

  auto* unshare = app.add_subcommand("unshare", "Stop sharing a folder or file with a user (or leave a share: name yourself)");
  unshare->add_option("PATH", options->path, path_help)->required();
  unshare->add_option("USER", options->user, "The user who loses access")->required();
  unshare->add_flag("--rotate", options->rotate, "Then give PATH new keys, as `coffer share rotate` does");
  unshare->callback([&global, options] { run_unshare(global, *options); });

  auto* shares = app.add_subcommand("shares", "List what you share and what others share with you, with roles");
  shares->add_flag("--json", options->json, "Print JSON (outgoing and incoming: path, node, owner, grantee, role, "
                                             "granted_by, created_at, error)");
  shares->callback([&global, options] { run_shares(global, *options); });

  auto* whois = app.add_subcommand("whois", "Show a user's key fingerprint, and whether it is the one seen before");
  whois->add_option("USER", options->user, "A user name")->required();
  whois->add_flag("--json", options->json, "Print JSON (user, fingerprint, state)");
  whois->callback([&global, options] { run_whois(global, *options); });

  auto* trust = app.add_subcommand("trust", "Trust a user's key after checking its fingerprint with them");
  trust->add_option("USER", options->user, "A user name")->required();
  trust->add_option("FINGERPRINT", options->fingerprint, "The fingerprint they read to you (spaces optional)")->required();
  trust->callback([&global, options] { run_trust(global, *options); });
}

}  // namespace coffer::cli
