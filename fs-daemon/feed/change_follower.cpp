#include "feed/change_follower.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "feed/pending_refreshes.hpp"

namespace coffer::feed {
namespace {

using std::chrono::seconds;

constexpr std::chrono::milliseconds kMaxErrorPause{30000};
constexpr seconds kFirstRetry{1};

void pause_unless_stopped(std::chrono::milliseconds pause, const std::stop_token& stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  wake.wait_for(lock, stop, pause, [] { return false; });
}

}  // namespace

ChangeFollower::ChangeFollower(remote::RemoteApi& remote, vfs::Vfs& vfs, FollowerOptions options)
    : remote_(remote), vfs_(vfs), options_(options) {}

ChangeFollower::~ChangeFollower() { stop(); }

void ChangeFollower::start() {
  auto latest = remote_.changes(std::nullopt, seconds(0), {});
  if (latest) {
    cursor_ = latest->cursor;
    vfs_.set_feed_live(true);
  } else {
    spdlog::warn("change feed: {}; other devices' changes are followed once the server answers",
                 latest.error().message);
  }
  thread_ = std::jthread([this](std::stop_token stop) { run(std::move(stop)); });
}

void ChangeFollower::stop() {
  thread_.request_stop();
  if (thread_.joinable()) thread_.join();
}

// The thread's one exception barrier: the mount goes on without live changes.
void ChangeFollower::run(std::stop_token stop) {
  try {
    follow(std::move(stop));
  } catch (const std::exception& e) {
    spdlog::error("change feed: stopped following after an unexpected error: {}", e.what());
  } catch (...) {
    spdlog::error("change feed: stopped following after an unexpected error");
  }
  vfs_.set_feed_live(false);
}

void ChangeFollower::follow(std::stop_token stop) {
  PendingRefreshes pending;
  std::chrono::milliseconds error_pause = options_.first_error_pause;
  seconds retry = kFirstRetry;
  bool failing = false;  // logged once per run of failures
  while (!stop.stop_requested()) {
    const seconds wait = !cursor_ ? seconds(0) : pending.empty() ? options_.poll : std::min(retry, options_.poll);
    auto page = remote_.changes(cursor_, wait, stop);
    if (stop.stop_requested()) return;
    vfs_.set_feed_live(page.ok());
    if (!page) {
      if (!failing) spdlog::warn("change feed: {}", page.error().message);
      failing = true;
      // A server that does not answer is asked again soon: the feed is the mount's probe, and
      // its first answer brings the connectivity back online, which ends the upload queue's
      // pause. A server that answers with an error is given time.
      const bool unanswered = page.error().code == Errc::unavailable;
      pause_unless_stopped(unanswered ? options_.first_error_pause : error_pause, stop);
      if (!unanswered) error_pause = std::min(error_pause * 2, kMaxErrorPause);
      continue;
    }
    if (failing) spdlog::info("change feed: the server answers again");
    failing = false;
    error_pause = options_.first_error_pause;
    bool fresh = false;
    if (cursor_) {
      for (const auto& change : page->changes) fresh = pending.add(change) || fresh;
    }
    cursor_ = page->cursor;
    pending.apply(vfs_);
    retry = fresh ? kFirstRetry : std::min(retry * 2, options_.poll);
  }
}

}  // namespace coffer::feed
