#include "server/service/change_notifier.hpp"

#include <algorithm>

namespace coffer::server::service {

void ChangeNotifier::notify() {
  {
    std::lock_guard lock(mutex_);
    ++generation_;
  }
  changed_.notify_all();
}

std::uint64_t ChangeNotifier::generation() {
  std::lock_guard lock(mutex_);
  return generation_;
}

bool ChangeNotifier::wait(std::uint64_t seen, std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  const auto until = std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(1));
  changed_.wait_until(lock, until, [&] { return stopping_ || generation_ != seen; });
  return !stopping_;
}

void ChangeNotifier::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
}

bool ChangeNotifier::try_enter(std::int64_t limit) {
  std::lock_guard lock(mutex_);
  if (waiting_ >= limit || stopping_) return false;
  ++waiting_;
  return true;
}

void ChangeNotifier::leave() {
  std::lock_guard lock(mutex_);
  --waiting_;
}

}  // namespace coffer::server::service
