#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <thread>

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

  // Takes the feed's current end, so that only what changes from now on is applied (whatever
  // the mount reads later is read fresh), then starts the thread. A server that does not answer
  // now is asked for the end again by the thread.
  void start();
  // Ends a wait for the server within about a second and joins the thread.
  void stop();

 private:
  void run(std::stop_token stop);
  void follow(std::stop_token stop);

  remote::RemoteApi& remote_;
  vfs::Vfs& vfs_;
  FollowerOptions options_;
  std::optional<std::uint64_t> cursor_;  // the thread's once it runs
  std::jthread thread_;
};

}  // namespace coffer::feed
