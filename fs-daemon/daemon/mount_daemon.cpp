#include "daemon/mount_daemon.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "control/control_socket.hpp"
#include "daemon/heap_tuning.hpp"
#include "daemon/history_answers.hpp"
#include "daemon/link_answers.hpp"
#include "daemon/share_answers.hpp"
#include "feed/change_follower.hpp"
#include "feed/share_refresher.hpp"
#include "fuse/fuse_mount.hpp"
#include "history/coffer_view.hpp"
#include "log/logging.hpp"
#include "mount/mount_runtime.hpp"
#include "profile/private_file.hpp"
#include "util/unix_time.hpp"
#include "vfs/metadata_writer.hpp"

namespace coffer::daemon {
namespace {

using Clock = std::chrono::steady_clock;

mount::Remotes remotes_of(const MountRequest& request) {
  return {*request.remote, *request.foreground_remote, *request.connectivity};
}

Status replay_journal(const MountRequest& request, mount::ProfileStores& stores) {
  std::uint64_t pending = stores.journal->last_seq() - stores.journal->acked_seq();
  if (pending == 0) return {};
  std::cerr << "coffer mount: uploading " << pending << " changes left in the journal by an earlier run...\n";
  mount::MountRuntime replay(remotes_of(request), stores, request.config);
  auto drained = replay.drain(Clock::now() + request.config.unmount_timeout);
  if (!drained) {
    return make_error(Errc::unavailable, "changes from an earlier run could not be uploaded (" + drained.error().message +
                                             "); they stay in the journal: try again when the server is reachable");
  }
  return {};
}

void start_logging(const MountRequest& request) {
  if (request.foreground) {
    log::init("coffer", request.config.log_level);
    return;
  }
  spdlog::drop("coffer");
  auto logger = spdlog::basic_logger_mt("coffer", request.paths.log_file().string());
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %l coffer[%P]: %v");
  logger->set_level(spdlog::level::from_str(request.config.log_level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

// The control socket's answers: status, sync (retry now, then wait) and drain (wait); a line
// holding a JSON object is a history, share or link request (history_answers.hpp,
// share_answers.hpp, link_answers.hpp).
std::string answer(const MountRequest& request, mount::MountRuntime& runtime, history::History& history,
                   sharing::ShareManager& shares, std::atomic<bool>& unmounting, const std::string& line) {
  if (!line.empty() && line.front() == '{') {
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    nlohmann::json reply = !parsed.is_object()         ? nlohmann::json{{"error", "malformed request"}, {"code", "invalid_argument"}}
                           : is_share_request(parsed) ? answer_shares(shares, parsed)
                           : is_link_request(parsed)  ? answer_link(runtime.vfs(), parsed)
                                                      : answer_history(history, parsed);
    return reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::istringstream in(line);
  std::string verb;
  long seconds = 0;
  in >> verb >> seconds;
  nlohmann::json reply = {{"mountpoint", request.mountpoint}, {"pid", ::getpid()}};
  auto deadline = Clock::now() + std::chrono::seconds(std::max(seconds, 0L));
  if (verb == "sync" || verb == "drain" || verb == "unmounting") {
    if (verb == "sync") runtime.queue().retry_now();
    if (verb == "unmounting") unmounting = true;
    reply["drained"] = runtime.drain(deadline).ok();
  } else if (verb != "status") {
    reply["error"] = "unknown request";
  }
  auto status = runtime.queue().status();
  reply["pending_ops"] = status.pending_ops;
  reply["pending_bytes"] = status.pending_bytes;
  reply["failed_ops"] = status.failed_ops;
  reply["last_error"] = status.last_error;
  reply["set_aside"] = status.set_aside;
  reply["set_aside_latest"] = nlohmann::json::array();
  for (const auto& entry : status.latest_set_aside) {
    reply["set_aside_latest"].push_back(
        {{"seq", entry.seq}, {"at", entry.at}, {"op", entry.op}, {"node", entry.node_id}, {"cause", entry.cause}});
  }
  reply["damaged"] = status.damaged;
  const auto connection = request.connectivity->state();
  reply["connection"] = {
      {"online", connection.online}, {"since", unix_seconds(connection.since)}, {"error", connection.last_error}};
  if (status.oldest) {
    const auto& oldest = *status.oldest;
    reply["oldest_pending"] = {{"seq", oldest.seq},
                               {"op", oldest.op},
                               {"node", oldest.node_id},
                               {"path", runtime.vfs().path_of(oldest.node_id)},
                               {"queued_at", unix_seconds(oldest.queued_at)},
                               {"earlier_run", oldest.earlier_run}};
  }
  reply["shares"] = runtime.vfs().share_count();
  reply["conflicts"] = status.conflicts;
  reply["conflicts_latest"] = nlohmann::json::array();
  for (const auto& conflict : status.latest_conflicts) {
    reply["conflicts_latest"].push_back({{"at", conflict.at}, {"kind", conflict.kind}, {"name", conflict.name},
                                         {"folder", conflict.folder_id}, {"node", conflict.node_id}});
  }
  // Causes come from the server and may hold any bytes; the answer must still be one JSON line.
  return reply.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The metadata cache is used when the change feed can say what changed since its cursor; the
// catch-up makes it forget what did. Otherwise it is emptied (rows without a cursor, written
// before a crash, are of no known time) and the mount lists from the server, filling it again.
std::optional<cache::MetadataState> open_metadata(cache::MetadataCache& metadata, feed::ChangeFollower& follower,
                                                  vfs::Vfs& vfs) {
  auto stored = metadata.state();
  if (stored) {
    if (auto caught = follower.catch_up(stored->cursor, !stored->clean); caught) {
      vfs.serve_metadata();
      return stored;
    } else {
      spdlog::warn("metadata cache: not used, the folders are listed from the server: {}", caught.error().message);
    }
  }
  if (auto cleared = metadata.clear(); !cleared) spdlog::error("{}", cleared.error().message);
  return std::nullopt;
}

// `Shared with me` (docs/client.md): listed once before the kernel's first request, then again
// whenever the feed, the Vfs or the upload queue has a reason to think it changed.
void start_shares(feed::ShareRefresher& refresher, mount::MountRuntime& runtime, feed::ChangeFollower& follower) {
  runtime.vfs().enable_shares();
  runtime.vfs().set_share_listener([&refresher] { refresher.poke(); });
  runtime.queue().set_share_listener([&refresher](const std::string&) { refresher.poke(); });
  follower.on_shares_changed([&refresher] { refresher.poke(); });
  if (auto loaded = refresher.load(); !loaded) {
    spdlog::warn("shares: not listed at mount ({}); `Shared with me` fills once the server answers",
                 loaded.error().message);
  }
  refresher.start();
}

void serve(const MountRequest& request, mount::ProfileStores& stores, std::shared_ptr<vfs::Node> root,
           const crypto::X25519KeyPair& identity, fuse::FuseMount& mount) {
  mount::MountRuntime runtime(remotes_of(request), stores, request.config);
  runtime.open_root(std::move(root));
  history::History history({*request.foreground_remote, *request.remote, *request.history_remote, runtime.vfs(), runtime.guard(),
                            runtime.queue(), request.config.fsync_timeout});
  history::CofferView view(history, runtime.vfs());
  profile::KnownKeys known_keys(request.paths.known_keys_file(), request.login.info.server_url);
  sharing::ServerIncomingShares incoming(*request.share_remote, known_keys, identity, request.login.info.user);
  sharing::ShareManager shares({runtime.vfs(), *request.foreground_remote, *request.share_remote, known_keys, incoming,
                                identity, request.login.info.user});
  std::atomic<bool> unmounting{false};
  auto control = control::ControlServer::listen(request.paths.control_socket(), [&](const std::string& line) {
    return answer(request, runtime, history, shares, unmounting, line);
  });
  if (!control) spdlog::warn("no control socket: {}", control.error().message);
  runtime.vfs().set_notifier(&mount);
  runtime.vfs().attach_metadata(stores.metadata.get());
  vfs::MetadataWriter writer(runtime.vfs(), *stores.metadata, runtime.queue());
  // Started before the kernel's first request, so that nothing the mount reads can change unseen.
  feed::ChangeFollower follower(*request.remote, runtime.vfs());
  follower.on_current([&writer](std::uint64_t cursor) { writer.feed_current(cursor); });
  feed::ShareRefresher refresher(incoming, runtime.vfs());
  start_shares(refresher, runtime, follower);
  writer.start(open_metadata(*stores.metadata, follower, runtime.vfs()));
  follower.start();
  spdlog::info("mounted {} for {} on {}", request.mountpoint, request.login.info.user, request.login.info.server_url);
  if (auto served = mount.run(runtime.vfs(), &view); !served) spdlog::error("{}", served.error().message);
  follower.stop();
  runtime.queue().set_share_listener(nullptr);  // the queue goes on draining below, after which the refresher is gone
  refresher.stop();
  runtime.vfs().set_notifier(nullptr);
  auto wait = unmounting ? std::chrono::seconds(0) : request.config.unmount_timeout;
  auto drained = runtime.drain(Clock::now() + wait);
  writer.stop();
  auto left = runtime.queue().status();
  if (drained) spdlog::info("unmounted {}; every change is on the server", request.mountpoint);
  else spdlog::warn("unmounted {}; {} changes stay in the journal for the next mount or `coffer sync`",
                    request.mountpoint, left.pending_ops);
}

}  // namespace

Status run_mount(const MountRequest& request) {
  keep_freed_chunk_buffers();
  auto stores = mount::ProfileStores::open(request.paths, request.config, request.login);
  if (!stores) return std::move(stores).error();
  COFFER_TRY_STATUS(replay_journal(request, *stores));
  auto identity = crypto::X25519KeyPair::from_private(request.login.keys.identity_private_key);
  if (!identity) return make_error(Errc::integrity, "the profile's identity key does not open: " + identity.error().message);
  auto root = mount::load_root(*request.remote, *stores->guard, request.login.info, request.login.keys.master_key);
  if (!root) return make_error(root.error().code, "cannot open the root folder: " + root.error().message);
  fuse::MountOptions options{request.mountpoint, request.fuse_options,
                             static_cast<double>(request.config.attr_timeout.count()), 10};
  auto mount = fuse::FuseMount::mount(options);
  if (!mount) return std::move(mount).error();
  start_logging(request);
  (*mount)->daemonize(request.foreground);
  serve(request, *stores, std::move(root).value(), *identity, **mount);
  return {};
}

}  // namespace coffer::daemon
