#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace coffer::server::service {

// Wakes change-feed long polls when a transaction that appended changes commits. Waiters also
// wake on their own every second, to see changes written by another process (coffer-admin).
class ChangeNotifier {
 public:
  void notify();
  // Waits until notify() is called after `seen` (a value of generation()) or until `deadline`,
  // and at most one second; false once shutdown() was called.
  bool wait(std::uint64_t seen, std::chrono::steady_clock::time_point deadline);
  std::uint64_t generation();
  // Releases every waiter for good (cofferd is stopping).
  void shutdown();

  // Caps concurrent waits; try_enter() is false when `limit` waits are running.
  bool try_enter(std::int64_t limit);
  void leave();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::uint64_t generation_ = 0;
  std::int64_t waiting_ = 0;
  bool stopping_ = false;
};

}  // namespace coffer::server::service
