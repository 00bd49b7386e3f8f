#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <thread>

#include "feed/pending_refreshes.hpp"
#include "remote/remote_api.hpp"
#include "vfs/vfs.hpp"

namespace coffer::feed {

struct FollowerOptions {
  // How long the server may hold one request of the feed: a change is seen at once either way;
  // a shorter hold only costs requests.
  std::chrono::seconds poll{25};
  // The pause before asking again after the server did not answer; after an error answer the
  // first pause, doubling up to 30 s.
  std::chrono::milliseconds first_error_pause{500};
};

// Follows the server's change feed (GET /v1/changes, long poll) on one thread and hands what
// other devices changed to the Vfs (Vfs::refresh_folder, Vfs::refresh_node), which re-reads and
// verifies it. It tells the Vfs whether it follows (Vfs::set_feed_live: its last request was
// answered). Refreshes the Vfs defers (local changes not yet sent, a new version of an open
// file) are asked again after 1 s, doubling up to `poll`, and at once when new changes arrive.
class ChangeFollower {
 public:
  ChangeFollower(remote::RemoteApi& remote, vfs::Vfs& vfs, FollowerOptions options = {});
  ~ChangeFollower();
  ChangeFollower(const ChangeFollower&) = delete;
  ChangeFollower& operator=(const ChangeFollower&) = delete;

  // Before start(), for a mount whose metadata cache is current up to `cursor`: reads every
  // change since, each refreshing what it names (for what the mount has not loaded yet, the
  // cache forgets it), and continues from there. `own_included`: this session's own changes count
  // too (the cache may have missed them: its daemon did not stop cleanly). Fails, applying
  // nothing more, when the feed cannot say: the cursor is past the feed's end (another server,
  // or one restored from a backup), the catch-up is longer than kMaxCatchUpPages, or the server
  // does not answer; the caller then drops the cache.
  static constexpr int kMaxCatchUpPages = 100;
  // Before catch_up() and start(): told the cursor up to which every change is applied (nothing
  // deferred), each time the feed answers: the metadata cache records it with its rows
  // (vfs::MetadataWriter). Called on the follower's thread, or the caller's during catch_up().
  void on_current(std::function<void(std::uint64_t)> listener) { current_ = std::move(listener); }
  // Before catch_up() and start(): told when the feed names a grant made to this user or taken
  // back (`shared`, `unshared`, this session's own included: leaving a share is one), from the
  // follower's thread or the caller's during catch_up().
  void on_shares_changed(std::function<void()> listener) { shares_changed_ = std::move(listener); }
  Status catch_up(std::uint64_t cursor, bool own_included);
  // Takes the feed's current end unless catch_up() did, so that only what changes from now on
  // is applied (whatever the mount reads later is read fresh), then starts the thread. A server
  // that does not answer now is asked for the end again by the thread.
  void start();
  // Ends a wait for the server within about a second and joins the thread.
  void stop();

 private:
  void run(std::stop_token stop);
  void follow(std::stop_token stop);
  void applied_through(std::uint64_t cursor);
  void note_share_changes(const std::vector<remote::Change>& changes) const;

  remote::RemoteApi& remote_;
  vfs::Vfs& vfs_;
  FollowerOptions options_;
  std::optional<std::uint64_t> cursor_;  // the thread's once it runs
  PendingRefreshes pending_;             // likewise
  std::function<void(std::uint64_t)> current_;
  std::function<void()> shares_changed_;
  std::jthread thread_;
};

}  // namespace coffer::feed
