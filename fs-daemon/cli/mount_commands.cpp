#include "cli/mount_commands.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <thread>

#include "cli/daemon_link.hpp"
#include "config/units.hpp"
#include "daemon/mount_daemon.hpp"
#include "mount/mount_runtime.hpp"
#include "util/unix_time.hpp"

namespace coffer::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct MountOptions {
  std::string mountpoint;
  bool foreground = false;
  std::vector<std::string> fuse_options;
  std::optional<long> timeout;
};

std::string absolute_path(const char* command, const std::string& path) {
  std::error_code ec;
  auto absolute = std::filesystem::absolute(path, ec);
  if (ec) fail(command, path + ": " + ec.message());
  return absolute.lexically_normal().string();
}

std::string absolute_folder(const char* command, const std::string& path) {
  std::error_code ec;
  auto absolute = absolute_path(command, path);
  if (!std::filesystem::is_directory(absolute, ec)) fail(command, path + " is not a folder");
  return absolute;
}

void run_mount(const GlobalOptions& global, const MountOptions& options) {
  auto paths = paths_of(global);
  daemon::MountRequest request{paths, config_of("mount", paths), value_or_fail("mount", profile::load_login(paths)),
                               absolute_folder("mount", options.mountpoint), options.fuse_options,
                               options.foreground, nullptr, nullptr, nullptr, nullptr, nullptr};
  if (daemon_running(paths)) fail("mount", "this profile is mounted already; `coffer status` says where");
  request.connectivity = std::make_shared<remote::Connectivity>();
  auto http = session_http(request.login.info, request.config, request.connectivity);
  auto api = std::make_shared<client::ApiClient>(http);
  auto account = api->get_account();
  if (!account && account.error().code == Errc::unauthenticated) {
    fail("mount", "the server ended this session; run `coffer login` again");
  }
  if (!account) fail("mount", account.error().message);
  request.remote = api;
  auto foreground = std::make_shared<client::ApiClient>(http, request.config.foreground_timeout);
  request.foreground_remote = foreground;
  request.history_remote = foreground;
  request.share_remote = foreground;
  check("mount", daemon::run_mount(request));
}

// fusermount3 works for root and for the user who mounted.
Status detach(const std::string& mountpoint) {
  pid_t child = ::fork();
  if (child == 0) {
    ::execlp("fusermount3", "fusermount3", "-u", mountpoint.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  if (child < 0 || ::waitpid(child, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return make_error(Errc::io, "fusermount3 -u " + mountpoint + " failed");
  }
  return {};
}

// A zombie counts as gone: it holds nothing, and whoever reaps orphans may be slow to.
bool process_alive(pid_t pid) {
  if (::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  auto end_of_name = line.rfind(')');
  return end_of_name == std::string::npos || line.compare(end_of_name + 1, 3, " Z ") != 0;
}

void report_left(const char* command, const nlohmann::json& answer) {
  auto ops = answer.value("pending_ops", std::uint64_t{0});
  if (ops == 0) {
    std::cout << "Every change is on the server.\n";
    return;
  }
  std::cout << describe_pending(ops, answer.value("pending_bytes", std::uint64_t{0}))
            << " are still in the journal; they upload at the next mount or with `coffer sync`.\n";
  auto error = answer.value("last_error", std::string());
  if (!error.empty()) std::cerr << "coffer " << command << ": last upload error: " << error << '\n';
}

void run_unmount(const GlobalOptions& global, const MountOptions& options) {
  auto paths = paths_of(global);
  auto config = config_of("unmount", paths);
  // Not checked for being a folder: the mount of a daemon that died answers ENOTCONN to stat,
  // and fusermount3 detaches it all the same.
  std::string mountpoint = absolute_path("unmount", options.mountpoint);
  auto wait = std::chrono::seconds(options.timeout.value_or(config.unmount_timeout.count()));
  bool ours = false;
  pid_t daemon_pid = 0;
  if (auto status = daemon_request(paths, "status", std::chrono::seconds(5)); status) {
    ours = status->value("mountpoint", std::string()) == mountpoint;
    daemon_pid = status->value("pid", 0);
  }
  if (ours) {
    std::cout << "Waiting for uploads to finish...\n" << std::flush;
    auto answer = daemon_request(paths, "unmounting " + std::to_string(wait.count()), wait);
    if (answer) report_left("unmount", *answer);
  }
  check("unmount", detach(mountpoint));
  // Until the process is gone, not just its control socket: it still holds the profile's
  // state database while it shuts down, and a mount right after would find it locked.
  for (auto deadline = Clock::now() + std::chrono::seconds(30); ours && daemon_pid > 0 && process_alive(daemon_pid);) {
    if (Clock::now() > deadline) fail("unmount", "the daemon did not stop");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

void print_login(const profile::ProfilePaths& paths, const profile::LoginInfo& info) {
  std::cout << "Profile:  " << paths.root().string() << '\n'
            << "Server:   " << info.server_url << '\n'
            << "User:     " << info.user << " (device " << info.device << ")\n";
  if (!info.tls_fingerprint.empty()) std::cout << "TLS pin:  SHA-256 " << info.tls_fingerprint << '\n';
}

// The usage as the server counts it: GET /v1/usage, the same number `coffer-admin user list`
// shows. One attempt, at most network.foreground_timeout, so that status answers soon when the
// server is away or does not answer.
auto fetch_usage(const profile::LoginInfo& info, const profile::ClientConfig& config) {
  auto options = http_options(info.server_url, config);
  options.pinned_fingerprint = info.tls_fingerprint;
  options.retry.max_attempts = 1;
  auto http = std::make_shared<client::HttpClient>(options);
  http->set_bearer_token(info.token);
  return client::ApiClient(http, config.foreground_timeout).usage();
}

void print_usage(const profile::LoginInfo& info, const profile::ClientConfig& config) {
  auto usage = fetch_usage(info, config);
  if (!usage) {
    std::cout << "Usage:    unknown (" << usage.error().message << ")\n";
    return;
  }
  std::cout << "Usage:    " << usage->used;
  if (usage->quota) {
    std::cout << " of " << *usage->quota << " bytes (" << config::format_size_approx(usage->used) << " of "
              << config::format_size_approx(*usage->quota) << ")\n";
  } else {
    std::cout << " bytes (" << config::format_size_approx(usage->used) << "), no quota\n";
  }
  if (usage->split) {
    std::cout << "          current " << config::format_size_approx(usage->split->current) << ", old versions "
              << config::format_size_approx(usage->split->versions) << ", trash "
              << config::format_size_approx(usage->split->trash) << ", other "
              << config::format_size_approx(usage->split->other) << '\n';
  }
}

// The journal's lines of `coffer status` (man/coffer.1): ops set aside and damaged records.
void print_journal_problems(const profile::ProfilePaths& paths, const nlohmann::json& answer) {
  if (auto set_aside = answer.value("set_aside", std::uint64_t{0}); set_aside > 0) {
    std::cout << "Set aside: " << set_aside << (set_aside == 1 ? " change" : " changes")
              << " the server refused, kept in " << (paths.journal_dir() / "set-aside").string() << '\n';
    for (const auto& entry : answer.value("set_aside_latest", nlohmann::json::array())) {
      std::cout << "  #" << entry.value("seq", std::uint64_t{0}) << ' ' << entry.value("op", std::string()) << " of node "
                << entry.value("node", std::string()) << ": " << entry.value("cause", std::string()) << '\n';
    }
  }
  if (auto damaged = answer.value("damaged", std::uint64_t{0}); damaged > 0) {
    std::cout << "Damaged:  " << damaged << " unreadable stretches of the journal, kept in "
              << (paths.journal_dir() / "damaged").string() << " (see the log)\n";
  }
}

// "3 min", "2 h 5 min": how long ago `unix_seconds` was.
std::string age_of(std::int64_t unix_seconds) {
  std::int64_t age = std::max<std::int64_t>(0, unix_now() - unix_seconds);
  if (age < 60) return std::to_string(age) + " s";
  if (age < 3600) return std::to_string(age / 60) + " min";
  if (age < 86400) return std::to_string(age / 3600) + " h " + std::to_string(age % 3600 / 60) + " min";
  return std::to_string(age / 86400) + " d " + std::to_string(age % 86400 / 3600) + " h";
}

// The daemon's lines of `coffer status` about the server and the queue (man/coffer.1).
void print_connection(const nlohmann::json& answer) {
  auto connection = answer.value("connection", nlohmann::json::object());
  if (connection.empty()) return;
  auto since = connection.value("since", std::int64_t{0});
  bool online = connection.value("online", true);
  std::cout << "Network:  " << (online ? "online" : "offline") << " since " << local_time(since) << " ("
            << age_of(since) << ")";
  auto error = connection.value("error", std::string());
  if (!online && !error.empty()) std::cout << ": " << error;
  std::cout << '\n';
}

void print_oldest(const nlohmann::json& answer) {
  if (!answer.contains("oldest_pending")) return;
  const auto& oldest = answer.at("oldest_pending");
  auto path = oldest.value("path", std::string());
  std::cout << "Oldest:   " << oldest.value("op", std::string()) << " of "
            << (path.empty() ? "node " + oldest.value("node", std::string()) : path) << ", waiting "
            << (oldest.value("earlier_run", false) ? "since an earlier mount" : age_of(oldest.value("queued_at", std::int64_t{0})))
            << '\n';
}

// Local edits kept as conflicted copies (man/coffer.1), newest first.
void print_conflicts(const nlohmann::json& answer) {
  auto count = answer.value("conflicts", std::uint64_t{0});
  if (count == 0) return;
  std::cout << "Conflicts: " << count << (count == 1 ? " local edit" : " local edits")
            << " kept beside the server's version, newest first:\n";
  for (const auto& entry : answer.value("conflicts_latest", nlohmann::json::array())) {
    const std::string when = local_time(entry.value("at", std::int64_t{0}));
    const bool deleted = entry.value("kind", std::string()) == "deleted";
    std::cout << "  " << when << "  " << entry.value("name", std::string())
              << (deleted ? "  (the file was deleted on another device)\n" : "  (the file changed on another device)\n");
  }
}

// `coffer status --json`: the same facts for scripts; "daemon" is the running daemon's own
// answer, "journal" the journal's when no daemon runs (man/coffer.1).
void print_status_json(const profile::ProfilePaths& paths, const profile::Login& login) {
  nlohmann::json status{{"profile", paths.root().string()},
                        {"server", login.info.server_url},
                        {"user", login.info.user},
                        {"device", login.info.device},
                        {"tls_pin", login.info.tls_fingerprint}};
  if (auto usage = fetch_usage(login.info, config_of("status", paths)); usage) {
    status["usage"] = {{"used", usage->used}, {"quota", usage->quota ? nlohmann::json(*usage->quota) : nlohmann::json()}};
    if (usage->split) {
      status["usage"].update({{"current", usage->split->current}, {"versions", usage->split->versions},
                              {"trash", usage->split->trash}, {"other", usage->split->other}});
    }
  } else {
    status["usage"] = {{"error", usage.error().message}};
  }
  auto answer = daemon_request(paths, "status", std::chrono::seconds(5));
  status["mounted"] = static_cast<bool>(answer);
  if (answer) {
    status["daemon"] = *answer;
  } else if (auto journal = journal_status(paths, login.keys); journal) {
    status["journal"] = *journal;
  } else {
    status["journal"] = {{"error", journal.error().message}};
  }
  std::cout << status.dump(2) << '\n';
}

void run_status(const GlobalOptions& global, bool json) {
  auto paths = paths_of(global);
  auto login = value_or_fail("status", profile::load_login(paths));
  if (json) return print_status_json(paths, login);
  print_login(paths, login.info);
  print_usage(login.info, config_of("status", paths));
  auto answer = daemon_request(paths, "status", std::chrono::seconds(5));
  if (!answer) {
    std::cout << "Mounted:  no\n";
    auto journal = journal_status(paths, login.keys);
    if (!journal) {
      std::cout << "Journal:  " << journal.error().message << '\n';
      return;
    }
    std::cout << "Pending:  " << describe_pending(journal->value("pending_ops", std::uint64_t{0}), 0) << " in the journal\n";
    print_journal_problems(paths, *journal);
    print_conflicts(*journal);
    return;
  }
  std::cout << "Mounted:  " << answer->value("mountpoint", std::string()) << " (pid " << answer->value("pid", 0) << ")\n";
  print_connection(*answer);
  std::cout << "Pending:  "
            << describe_pending(answer->value("pending_ops", std::uint64_t{0}), answer->value("pending_bytes", std::uint64_t{0}))
            << '\n';
  print_oldest(*answer);
  if (auto shares = answer->value("shares", std::uint64_t{0}); shares > 0) {
    std::cout << "Shares:   " << shares << (shares == 1 ? " share" : " shares") << " in Shared with me\n";
  }
  print_journal_problems(paths, *answer);
  print_conflicts(*answer);
  if (auto error = answer->value("last_error", std::string()); !error.empty()) std::cout << "Error:    " << error << '\n';
}

// `coffer sync`'s wait. On a terminal, one line counts down what is left, rewritten after each
// `drain_for` of at most a second, and is erased at the end; elsewhere one wait and no line.
// `drain_for(seconds)` waits up to that long and answers pending_ops, pending_bytes, drained.
nlohmann::json drain_showing_progress(std::chrono::seconds wait,
                                      const std::function<nlohmann::json(std::chrono::seconds)>& drain_for) {
  if (!::isatty(STDOUT_FILENO)) return drain_for(wait);
  const auto deadline = Clock::now() + wait;
  for (;;) {
    auto left = std::chrono::ceil<std::chrono::seconds>(deadline - Clock::now());
    auto answer = drain_for(std::clamp(left, std::chrono::seconds(0), std::chrono::seconds(1)));
    std::cout << "\r\033[K";
    if (answer.value("drained", false) || answer.contains("error") || Clock::now() >= deadline) {
      std::cout << std::flush;
      return answer;
    }
    std::cout << "Uploading: "
              << describe_pending(answer.value("pending_ops", std::uint64_t{0}), answer.value("pending_bytes", std::uint64_t{0}))
              << " left" << std::flush;
  }
}

void run_sync(const GlobalOptions& global, const MountOptions& options) {
  auto paths = paths_of(global);
  auto config = config_of("sync", paths);
  auto wait = std::chrono::seconds(options.timeout.value_or(config.fsync_timeout.count()));
  if (daemon_running(paths)) {
    // The first request ends the upload queue's retry pause; the rest only wait.
    std::string verb = "sync";
    auto answer = drain_showing_progress(wait, [&](std::chrono::seconds seconds) {
      auto reply = daemon_request(paths, verb + " " + std::to_string(seconds.count()), seconds);
      verb = "drain";
      return reply ? *reply : nlohmann::json{{"error", reply.error().message}};
    });
    if (answer.contains("error")) fail("sync", answer.value("error", std::string()));
    report_left("sync", answer);
    if (!answer.value("drained", false)) throw CLI::RuntimeError(1);
    return;
  }
  auto login = value_or_fail("sync", profile::load_login(paths));
  auto connectivity = std::make_shared<remote::Connectivity>();
  auto http = session_http(login.info, config, connectivity);
  client::ApiClient api(http);
  auto stores = value_or_fail("sync", mount::ProfileStores::open(paths, config, login));
  mount::MountRuntime runtime(mount::Remotes{api, api, *connectivity}, stores, config);
  std::string last_error;
  auto answer = drain_showing_progress(wait, [&](std::chrono::seconds seconds) {
    auto drained = runtime.drain(Clock::now() + seconds);
    auto left = runtime.queue().status();
    last_error = drained ? std::string() : drained.error().message;
    return nlohmann::json{{"pending_ops", left.pending_ops}, {"pending_bytes", left.pending_bytes}, {"drained", drained.ok()}};
  });
  answer["last_error"] = last_error;
  report_left("sync", answer);
  if (!answer.value("drained", false)) throw CLI::RuntimeError(1);
}

}  // namespace

void add_mount_commands(CLI::App& app, const GlobalOptions& global) {
  auto options = std::make_shared<MountOptions>();

  auto* mount = app.add_subcommand("mount", "Mount your cloud as a folder (runs in the background)");
  mount->add_option("MOUNTPOINT", options->mountpoint, "An empty folder")->required();
  mount->add_flag("-f,--foreground", options->foreground, "Stay in the foreground and log to stderr");
  mount->add_option("-o", options->fuse_options, "FUSE mount options, e.g. -o allow_other")->delimiter(',');
  mount->callback([&global, options] { run_mount(global, *options); });

  auto* unmount = app.add_subcommand("unmount", "Wait for uploads, then unmount the folder");
  unmount->add_option("MOUNTPOINT", options->mountpoint, "The mounted folder")->required();
  unmount->add_option("--timeout", options->timeout, "Seconds to wait for uploads (default: mount.unmount_timeout)");
  unmount->callback([&global, options] { run_unmount(global, *options); });

  auto* status = app.add_subcommand(
      "status", "Show the login, the mount, whether the server answers, and the changes not yet uploaded");
  auto status_json = std::make_shared<bool>(false);
  status->add_flag("--json", *status_json, "Print JSON: login, usage, and the daemon's (or the journal's) state");
  status->callback([&global, status_json] { run_status(global, *status_json); });

  auto* sync = app.add_subcommand(
      "sync", "Upload every pending change now and wait until the server has it (progress on a terminal)");
  sync->add_option("--timeout", options->timeout, "Seconds to wait (default: mount.fsync_timeout)");
  sync->callback([&global, options] { run_sync(global, *options); });
}

}  // namespace coffer::cli
