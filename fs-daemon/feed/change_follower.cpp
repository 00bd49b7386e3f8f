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

Status ChangeFollower::catch_up(std::uint64_t cursor, bool own_included) {
  auto latest = remote_.changes(std::nullopt, seconds(0), {});
  if (!latest) return std::move(latest).error();
  if (cursor > latest->cursor) {
    return make_error(Errc::not_found, "the change feed ends at " + std::to_string(latest->cursor) +
                                           ", before the cached cursor " + std::to_string(cursor));
  }
  for (int page_count = 0; cursor < latest->cursor; ++page_count) {
    if (page_count == kMaxCatchUpPages) {
      return make_error(Errc::unavailable, "more than " + std::to_string(kMaxCatchUpPages) +
                                               " pages of changes since the cached cursor");
    }
    auto page = remote_.changes(cursor, seconds(0), {});
    if (!page) return std::move(page).error();
    note_share_changes(page->changes);
    for (auto change : page->changes) {
      if (own_included) change.own = false;
      pending_.add(change);
    }
    if (page->cursor <= cursor) break;  // nothing newer after all
    cursor = page->cursor;
  }
  pending_.apply(vfs_);
  cursor_ = cursor;
  applied_through(cursor);
  return {};
}

void ChangeFollower::note_share_changes(const std::vector<remote::Change>& changes) const {
  if (!shares_changed_) return;
  for (const auto& change : changes) {
    if (change.kind == "shared" || change.kind == "unshared") return shares_changed_();
  }
}

void ChangeFollower::applied_through(std::uint64_t cursor) {
  if (pending_.empty() && current_) current_(cursor);
}

void ChangeFollower::start() {
  if (!cursor_) {
    auto latest = remote_.changes(std::nullopt, seconds(0), {});
    if (latest) {
      cursor_ = latest->cursor;
    } else {
      spdlog::warn("change feed: {}; other devices' changes are followed once the server answers",
                   latest.error().message);
    }
  }
  if (cursor_) {
    vfs_.set_feed_live(true);
    applied_through(*cursor_);
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
  std::chrono::milliseconds error_pause = options_.first_error_pause;
  seconds retry = kFirstRetry;
  bool failing = false;  // logged once per run of failures
  while (!stop.stop_requested()) {
    const seconds wait = !cursor_ ? seconds(0) : pending_.empty() ? options_.poll : std::min(retry, options_.poll);
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
      note_share_changes(page->changes);
      for (const auto& change : page->changes) fresh = pending_.add(change) || fresh;
    }
    cursor_ = page->cursor;
    pending_.apply(vfs_);
    applied_through(*cursor_);
    retry = fresh ? kFirstRetry : std::min(retry * 2, options_.poll);
  }
}

}  // namespace coffer::feed
