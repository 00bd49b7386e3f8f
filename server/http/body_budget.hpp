#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>

namespace coffer::server::http {

// The memory cofferd may hold for request bodies and their parsed JSON at once. A request
// reserves its share before its body is read and waits (holding no thread) while others hold
// the budget, first come first served; a request larger than the whole budget waits until
// nothing else holds any. So a burst of large bodies is read a few at a time instead of all at
// once.
class BodyBudget {
 public:
  explicit BodyBudget(std::uint64_t bytes) : capacity_(bytes) {}

  // Calls `granted` once `bytes` fit: before returning when they fit now (and returns 0), or
  // later from the thread that releases, and then returns the id cancel() takes.
  std::uint64_t acquire(std::uint64_t bytes, std::function<void()> granted);
  // Withdraws a waiting reservation; false when it was granted meanwhile (release it then).
  bool cancel(std::uint64_t waiter);
  void release(std::uint64_t bytes);

 private:
  struct Waiter {
    std::uint64_t id;
    std::uint64_t bytes;
    std::function<void()> granted;
  };
  bool fits(std::uint64_t bytes) const { return held_ == 0 || held_ + bytes <= capacity_; }

  const std::uint64_t capacity_;
  std::mutex mutex_;  // a leaf lock: callbacks run after it is released
  std::uint64_t held_ = 0;
  std::uint64_t next_id_ = 1;
  std::deque<Waiter> waiters_;
};

}  // namespace coffer::server::http
