#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>

#include "sharing/incoming_shares.hpp"
#include "vfs/vfs.hpp"

namespace coffer::feed {

// Keeps the mount's `Shared with me` current (docs/client.md "Shared with me"): lists the grants
// made to this user (sharing::IncomingShares) and hands them to the Vfs (Vfs::apply_shares),
// once before the kernel's first request, then on its own thread each time it is poked: the
// change feed named a `shared` or `unshared` change, the server answered "not found" about a
// node of a share, or refused an op of one. A list that fails is asked again after 1 s,
// doubling up to 30 s, until it is answered. One thread, one exception barrier; mutex_ is a
// leaf lock, so poke() may be called under any other lock.
class ShareRefresher {
 public:
  ShareRefresher(sharing::IncomingShares& shares, vfs::Vfs& vfs) : shares_(shares), vfs_(vfs) {}
  ~ShareRefresher();
  ShareRefresher(const ShareRefresher&) = delete;
  ShareRefresher& operator=(const ShareRefresher&) = delete;

  // Lists once on the caller's thread; a failure leaves it to the thread (start()).
  Status load();
  void start();
  void poke();
  void stop();

 private:
  void run(std::stop_token stop);
  Status refresh();

  sharing::IncomingShares& shares_;
  vfs::Vfs& vfs_;
  std::mutex mutex_;  // guards wanted_
  std::condition_variable_any wake_;
  bool wanted_ = false;
  std::jthread thread_;
};

}  // namespace coffer::feed
