#include "server/http/body_budget.hpp"

#include <algorithm>
#include <vector>

namespace coffer::server::http {

std::uint64_t BodyBudget::acquire(std::uint64_t bytes, std::function<void()> granted) {
  {
    std::lock_guard lock(mutex_);
    if (!waiters_.empty() || !fits(bytes)) {
      const std::uint64_t id = next_id_++;
      waiters_.push_back(Waiter{id, bytes, std::move(granted)});
      return id;
    }
    held_ += bytes;
  }
  granted();
  return 0;
}

bool BodyBudget::cancel(std::uint64_t waiter) {
  std::lock_guard lock(mutex_);
  const auto found = std::find_if(waiters_.begin(), waiters_.end(), [&](const Waiter& w) { return w.id == waiter; });
  if (found == waiters_.end()) return false;
  waiters_.erase(found);
  return true;
}

void BodyBudget::release(std::uint64_t bytes) {
  std::vector<std::function<void()>> granted;
  {
    std::lock_guard lock(mutex_);
    held_ -= std::min(bytes, held_);
    while (!waiters_.empty() && fits(waiters_.front().bytes)) {
      held_ += waiters_.front().bytes;
      granted.push_back(std::move(waiters_.front().granted));
      waiters_.pop_front();
    }
  }
  for (auto& call : granted) call();
}

}  // namespace coffer::server::http
