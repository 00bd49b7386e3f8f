#include "server/daemon/run_server.hpp"

#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <optional>
#include <thread>

#include "coffer/version.hpp"
#include "log/logging.hpp"
#include "log/thread_barrier.hpp"
#include "server/daemon/backup_scheduler.hpp"
#include "server/daemon/data_dir.hpp"
#include "server/daemon/periodic_task.hpp"
#include "server/gc/garbage_collector.hpp"
#include "server/http/http_server.hpp"
#include "server/retention/version_pruner.hpp"

namespace coffer::server::daemon {
namespace {

Result<ServerConfig> effective_config(const ServerOptions& options) {
  auto config = load_server_config(options.config_file);
  if (!config) return config.error();
  if (options.data_dir) config->data_dir = *options.data_dir;
  if (options.web_root) config->web_root = *options.web_root;
  if (options.listen) {
    auto address = ListenAddress::parse(*options.listen);
    if (!address) return make_error(Errc::invalid_argument, "--listen: " + address.error().message);
    config->listen = *address;
  }
  COFFER_TRY_STATUS(config->validate());
  return config;
}

// SIGTERM, SIGINT and SIGHUP are blocked in every thread and taken by sigwait() in one, so a
// signal never interrupts a request half-way; that thread stops the listener or reloads.
sigset_t handled_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  return signals;
}

// SIGHUP: the file is read and checked as at start; a bad one changes nothing. Only log_level
// is applied: limits, addresses and policies are copied into the listener, the services and
// the periodic tasks when they start, so they change with a restart.
void reload(const ServerOptions& options) {
  auto config = effective_config(options);
  if (!config) {
    spdlog::error("reload: {}; keeping the running configuration", config.error().message);
    return;
  }
  log::set_level(config->log_level);
  spdlog::info("reload: log_level {}; other options apply at the next start", config->log_level);
}

// Waits for signals until one asks to stop, then stops the listener.
void take_signals(const ServerOptions& options, http::HttpServer& http) {
  const sigset_t signals = handled_signals();
  for (;;) {
    int received = 0;
    sigwait(&signals, &received);
    if (received == SIGHUP) {
      auto reloaded = log::barrier("reload", [&]() -> Status {
        reload(options);
        return {};
      });
      if (!reloaded) spdlog::error("reload: {}", reloaded.error().message);
      continue;
    }
    spdlog::info("signal {}: finishing requests in flight", received);
    http.stop();
    return;
  }
}

int serve(const ServerOptions& options, const ServerConfig& config) {
  auto data = DataDir::open(config.data_dir, DataDir::Role::server, static_cast<std::size_t>(config.limits.threads) + 4);
  if (!data) {
    spdlog::critical("{}", data.error().message);
    return 1;
  }
  service::Services services((*data)->metadata(), (*data)->blobs(), config);
  auto http = http::HttpServer::create(services, config);
  if (!http) {
    spdlog::critical("{}", http.error().message);
    return 1;
  }
  auto port = (*http)->bind();
  if (!port) {
    spdlog::critical("{}", port.error().message);
    return 1;
  }
  if (!config.uses_tls() && !config.listen.is_loopback()) {
    spdlog::warn("serving plain HTTP on a non-loopback address: passwords-derived keys and tokens travel in clear");
  }
  std::optional<BackupScheduler> backups;
  if (config.backup.enabled()) {
    backups.emplace(config.backup, config.data_dir / "coffer.db", (*data)->blobs());
    spdlog::info("backups into {}, keeping {} snapshots", config.backup.dir.string(), config.backup.keep);
  }
  // Trash expiry, then the retention of old versions; gc frees what they unlist, so it runs them
  // first too.
  const auto retire = [&]() -> Status {
    const std::int64_t now = service::system_seconds();
    auto expired = services.trash.expire(now - config.trash.max_age.count(), false);
    if (!expired) return expired.error();
    auto pruned = retention::prune_versions(config.data_dir / "coffer.db", {config.retention, now, false, std::nullopt});
    if (!pruned) return pruned.error();
    spdlog::info("retention: purged {} nodes from the trash and {} old versions of {} files; {} bytes now listed by no "
                 "version",
                 expired->nodes, pruned->versions, pruned->files,
                 expired->unreferenced_bytes + pruned->unreferenced_bytes);
    return {};
  };
  PeriodicTask retention("retention", config.retention.interval, config.retention.interval,
                         [&](std::stop_token) { return retire(); });
  PeriodicTask gc("gc", config.gc.interval, config.gc.interval, [&](std::stop_token) -> Status {
    if (auto retired = retire(); !retired) spdlog::error("retention before gc: {}", retired.error().message);
    auto collected = gc::collect_garbage(config.data_dir / "coffer.db", (*data)->blobs(), config.gc.grace);
    if (!collected) return collected.error();
    spdlog::info("gc: released {} uploads nothing lists, removed {} blobs ({} bytes) and {} stray files",
                 collected->released_holdings, collected->removed_blobs, collected->removed_bytes,
                 collected->removed_files);
    return {};
  });
  std::thread stopper([&] { take_signals(options, **http); });
  spdlog::info("cofferd {} listening on {}://{}:{} with data in {}", kVersion, config.uses_tls() ? "https" : "http",
               config.listen.host, *port, config.data_dir.string());
  auto served = (*http)->serve();
  if (!served) spdlog::error("{}", served.error().message);
  pthread_kill(stopper.native_handle(), SIGTERM);  // releases sigwait when the listener failed by itself
  stopper.join();
  spdlog::info("stopped");
  return served ? 0 : 1;
}

}  // namespace

int run_server(const ServerOptions& options) {
  const sigset_t signals = handled_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto config = effective_config(options);
  if (!config) {
    std::cerr << "cofferd: " << config.error().message << "\n";
    return 1;
  }
  if (options.check_only) {
    std::cout << "cofferd: the configuration is valid\n";
    return 0;
  }
  log::init("cofferd", config->log_level);
  return serve(options, *config);
}

}  // namespace coffer::server::daemon
