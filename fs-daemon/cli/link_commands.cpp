#include "cli/link_commands.hpp"

#include <charconv>
#include <chrono>
#include <iomanip>
#include <iostream>

#include "cli/daemon_commands.hpp"
#include "cli/password_prompt.hpp"
#include "crypto/encoding.hpp"
#include "crypto/link_seal.hpp"
#include "crypto/random.hpp"
#include "util/unix_time.hpp"

// Share links for people without an account (man/coffer.1, docs/client.md "Links"):
// `coffer link PATH` seals the node's key (which the running mount daemon holds) under a fresh
// URL secret, `coffer link list` and `coffer link revoke` manage them with the login alone.
namespace coffer::cli {
namespace {

constexpr const char* kDefaultExpiry = "7d";

struct LinkOptions {
  std::string path;
  std::string expires = kDefaultExpiry;
  std::optional<std::int64_t> max_downloads;
  std::optional<std::string> password_file;
  bool password = false;
  std::optional<std::string> base_url;
  bool json = false;
  std::string link_id;
};

// "never", or a count with a unit: s, m, h, d or w ("90m", "7d", "2w"). nullopt: never.
std::optional<std::int64_t> expiry_of(const std::string& text) {
  if (text == "never") return std::nullopt;
  std::int64_t count = 0;
  const char* end = text.data() + text.size();
  auto [rest, ec] = std::from_chars(text.data(), end, count);
  constexpr std::int64_t kMaxCount = 100LL * 366 * 86400;  // a century in seconds: beyond it, a typo
  if (ec != std::errc() || count <= 0 || rest + 1 != end) {
    fail("link", "--expires takes a count and a unit (s, m, h, d, w), as 7d or 12h, or never", 2);
  }
  std::int64_t unit = 0;
  switch (*rest) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: fail("link", "--expires takes a unit s, m, h, d or w (as 7d), or never", 2);
  }
  if (count > kMaxCount / unit) fail("link", "--expires: more than a century; use never", 2);
  return unix_now() + count * unit;
}

std::string expiry_text(const std::optional<std::int64_t>& expires_at) {
  return expires_at ? local_time(*expires_at, false) : "never";
}

std::optional<std::string> link_password(const LinkOptions& options) {
  if (!options.password && !options.password_file) return std::nullopt;
  auto secret = value_or_fail("link", read_password("Link password: ", options.password_file, true));
  if (secret.empty()) fail("link", "a link password cannot be empty");
  return std::string(secret.begin(), secret.end());
}

template <class T>
nlohmann::json or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// The node and its key from the mount, once what it holds for the server is uploaded; a node
// the server does not have yet is refused by the server, with a hint.
crypto::LinkTarget link_target(const profile::ProfilePaths& paths, const std::string& path) {
  upload_pending_first(paths);
  const auto answer = ask_daemon("link", paths, {{"request", "link_target"}, {"path", path}});
  const auto kind = crypto::link_kind_from_name(answer.value("kind", std::string()));
  auto node_key = crypto::FernetKey::from_base64(answer.value("key", std::string()));
  if (!kind || !node_key) fail("link", "the mount daemon's answer is malformed");
  return crypto::LinkTarget{*kind, answer.value("node", std::string()), std::move(*node_key)};
}

// An id whose text starts with '-' would read as an option in `coffer link revoke ID`: such
// ids (1 in 64) are drawn again, which costs the id less than one of its 128 bits.
Bytes new_link_id() {
  Bytes link_id = crypto::random_bytes(crypto::kLinkIdSize);
  while (crypto::base64url_encode(link_id).front() == '-') link_id = crypto::random_bytes(crypto::kLinkIdSize);
  return link_id;
}

// The link's created_at.
std::int64_t create_or_fail(client::ApiClient& api, const remote::NewLink& link, const std::string& path) {
  auto created = api.create_link(link);
  if (created) return *created;
  const auto& error = created.error();
  if (error.code == Errc::not_found) {
    fail("link", path + " is not on the server (yet): if it was just written, wait until `coffer status` " +
                     "shows nothing pending (" + error.message + ")");
  }
  if (error.code == Errc::permission_denied) {
    fail("link", "you may not link " + path + ": linking needs the manage right on it (" + error.message + ")");
  }
  fail("link", error.message);
}

void print_made(const LinkOptions& options, const remote::NewLink& link, const std::string& path,
                const std::string& url, std::int64_t created_at) {
  if (options.json) {
    const nlohmann::json made = {{"url", url},
                                 {"link_id", link.link_id},
                                 {"path", path},
                                 {"node_id", link.node_id},
                                 {"kind", link.kind},
                                 {"created_at", created_at},
                                 {"expires_at", or_null(link.expires_at)},
                                 {"max_downloads", or_null(link.max_downloads)},
                                 {"password", link.password.has_value()}};
    std::cout << made.dump(2) << '\n';
    return;
  }
  // The URL alone on stdout, for scripts; what it gives and for how long on stderr.
  std::cout << url << '\n';
  std::cerr << "Anyone with this URL" << (link.password ? " and the password" : "") << " can read " << path
            << (link.expires_at ? " until " + expiry_text(link.expires_at) : std::string(", with no expiry"));
  if (link.max_downloads) {
    std::cerr << ", for " << *link.max_downloads << (*link.max_downloads == 1 ? " opening" : " openings");
  }
  std::cerr << ". Revoke it with `coffer link revoke " << link.link_id << "`.\n";
}

void run_link(const GlobalOptions& global, const LinkOptions& options) {
  if (options.path.empty()) fail("link", "name a PATH (see `coffer link --help`)", 2);
  const auto expires_at = expiry_of(options.expires);
  if (options.base_url && !options.base_url->starts_with("https://") && !options.base_url->starts_with("http://")) {
    fail("link", "--base-url takes an http:// or https:// address", 2);
  }
  auto paths = paths_of(global);
  const std::string path = cloud_path(mountpoint_of("link", paths), options.path);
  const auto config = config_of("link", paths);
  auto login = value_or_fail("link", profile::load_login(paths));
  const auto password = link_password(options);
  const crypto::LinkTarget target = link_target(paths, path);
  auto api = connect(login.info, config);

  remote::NewLink link;
  crypto::KdfParams params;
  if (password) {
    params = value_or_fail("link", api->auth_params(login.info.user));
    params.salt = crypto::random_bytes(crypto::kLinkPasswordSaltSize);
    link.password = remote::LinkPassword{params.salt, params};
  }
  const Bytes link_id = new_link_id();
  const SecureBytes secret = crypto::random_secret(crypto::kLinkSecretSize);
  const SecureBytes ikm = value_or_fail("link", crypto::link_ikm(secret, password, params));
  link.link_id = crypto::base64url_encode(link_id);
  link.node_id = target.node_id;
  link.kind = crypto::link_kind_name(target.kind);
  link.sealed_key = crypto::seal_link_key(crypto::link_seal_key(ikm, link_id), target);
  link.label = crypto::seal_link_label(login.keys.master_key, path);
  link.expires_at = expires_at;
  link.max_downloads = options.max_downloads;
  const std::int64_t created_at = create_or_fail(*api, link, path);
  const std::string base_url = options.base_url.value_or(login.info.server_url);
  print_made(options, link, path, crypto::link_url(base_url, link_id, secret), created_at);
}

nlohmann::json line_json(const remote::LinkInfo& link, const crypto::FernetKey& master_key) {
  nlohmann::json line = {{"link_id", link.link_id},
                         {"node_id", link.node_id},
                         {"kind", link.kind},
                         {"path", nullptr},
                         {"created_at", link.created_at},
                         {"expires_at", or_null(link.expires_at)},
                         {"max_downloads", or_null(link.max_downloads)},
                         {"downloads", link.downloads},
                         {"password", link.password}};
  if (auto path = crypto::open_link_label(master_key, link.label)) {
    line["path"] = *path;
  } else {
    line["error"] = path.error().message;
  }
  return line;
}

void run_list(const GlobalOptions& global, const LinkOptions& options) {
  auto paths = paths_of(global);
  const auto config = config_of("link list", paths);
  auto login = value_or_fail("link list", profile::load_login(paths));
  auto api = connect(login.info, config);
  const auto links = value_or_fail("link list", api->list_links());
  nlohmann::json lines = nlohmann::json::array();
  for (const auto& link : links) lines.push_back(line_json(link, login.keys.master_key));
  if (options.json) {
    std::cout << nlohmann::json{{"links", lines}}.dump(2) << '\n';
    return;
  }
  if (lines.empty()) {
    std::cout << "No links. Make one with `coffer link PATH`.\n";
    return;
  }
  std::cout << std::left << std::setw(26) << "LINK" << std::setw(18) << "EXPIRES" << std::setw(11) << "DOWNLOADS"
            << std::setw(9) << "PASSWORD"
            << "PATH\n";
  for (const auto& line : lines) {
    std::string downloads = std::to_string(line.at("downloads").get<std::int64_t>());
    if (const auto& max = line.at("max_downloads"); !max.is_null()) {
      downloads += "/" + std::to_string(max.get<std::int64_t>());
    }
    const auto expires = line.at("expires_at").is_null() ? std::nullopt
                                                          : std::optional(line.at("expires_at").get<std::int64_t>());
    std::string expiry = expiry_text(expires);
    if (expires && *expires <= unix_now()) expiry = "expired";
    std::cout << std::setw(26) << line.at("link_id").get<std::string>() << std::setw(18) << expiry
              << std::setw(11) << downloads << std::setw(9) << (line.at("password").get<bool>() ? "yes" : "no")
              << (line.at("path").is_string() ? line.at("path").get<std::string>()
                                              : "? (" + line.value("error", std::string()) + ")")
              << '\n';
  }
}

// A link id, or a whole link URL (its id is taken from "/l/ID").
std::string link_id_of(const std::string& text) {
  const auto at = text.find("/l/");
  if (at == std::string::npos) return text;
  std::string id = text.substr(at + 3);
  id = id.substr(0, id.find('#'));
  return id;
}

void run_revoke(const GlobalOptions& global, const LinkOptions& options) {
  const std::string link_id = link_id_of(options.link_id);
  auto decoded = crypto::base64url_decode(link_id);
  if (!decoded || decoded->size() != crypto::kLinkIdSize) {
    fail("link revoke", "not a link id: " + link_id + " (see `coffer link list`)", 2);
  }
  auto paths = paths_of(global);
  const auto config = config_of("link revoke", paths);
  auto login = value_or_fail("link revoke", profile::load_login(paths));
  auto api = connect(login.info, config);
  auto removed = api->delete_link(link_id);
  if (!removed && removed.error().code == Errc::not_found) {
    fail("link revoke", "no link " + link_id + " of yours (revoked already, or never made)");
  }
  check("link revoke", removed);
  std::cout << "Revoked link " << link_id << ": it opens nothing from now on. What was downloaded with it stays "
            << "with whoever downloaded it.\n";
}

}  // namespace

void add_link_commands(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<LinkOptions>();
  auto* link = app.add_subcommand(
      "link", "Make a URL that gives a file or folder to anyone holding it, read-only; list and revoke them");
  // Not marked required, so that `link list` parses; run_link checks it.
  link->add_option("PATH", options->path,
                   "A file or folder: a path inside the mount, or from the cloud's root (a file named `list` or "
                   "`revoke`: ./list)");
  link->add_option("--expires", options->expires,
                   "When the link stops working: a count and a unit s, m, h, d or w (7d, 12h), or never")
      ->default_str(kDefaultExpiry);
  link->add_option("--max-downloads", options->max_downloads, "Stop after N openings of the link")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  auto* password = link->add_flag("--password", options->password,
                                  "Protect the link with a password too, asked on the terminal (no echo)");
  link->add_option("--password-file", options->password_file,
                   "Protect the link with the password on the first line of this file")
      ->excludes(password);
  link->add_option("--base-url", options->base_url,
                   "The address people open, if not the server's URL of this login (behind a proxy)");
  link->add_flag("--json", options->json,
                 "Print JSON (url, link_id, path, node_id, kind, created_at, expires_at, max_downloads, password)");

  auto* list = link->add_subcommand("list", "List your links: path, expiry, downloads, password");
  list->add_flag("--json", options->json,
                 "Print JSON (links: link_id, node_id, kind, path, created_at, expires_at, max_downloads, downloads, "
                 "password)");
  list->callback([&global, options] { run_list(global, *options); });

  auto* revoke = link->add_subcommand("revoke", "Revoke a link: it opens nothing from now on");
  revoke->add_option("LINK_ID", options->link_id, "The link's id as `coffer link list` shows it, or the link's URL")
      ->required();
  revoke->callback([&global, options] { run_revoke(global, *options); });

  // CLI11 runs a parent's callback after its subcommand's: linking is the command's own work
  // only when no subcommand was named.
  link->callback([&global, link, options] {
    if (link->get_subcommands().empty()) run_link(global, *options);
  });
}

}  // namespace coffer::cli
