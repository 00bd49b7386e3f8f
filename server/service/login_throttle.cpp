#include "server/service/login_throttle.hpp"

#include <algorithm>

namespace coffer::server::service {
namespace {

// Beyond this many tracked keys, records whose last failure is older than max_delay are
// dropped, so a flood of names cannot grow memory without bound.
constexpr std::size_t kPruneAbove = 100000;

}  // namespace

std::int64_t LoginThrottle::retry_after(std::initializer_list<std::string> keys, std::int64_t now) {
  std::lock_guard lock(mutex_);
  std::int64_t wait = 0;
  for (const auto& key : keys) {
    const auto it = records_.find(key);
    if (it != records_.end()) wait = std::max(wait, it->second.blocked_until - now);
  }
  return wait;
}

void LoginThrottle::record_failure(std::initializer_list<std::string> keys, std::int64_t now) {
  std::lock_guard lock(mutex_);
  if (records_.size() > kPruneAbove) prune(now);
  for (const auto& key : keys) {
    Record& record = records_[key];
    record.failures += 1;
    record.last_failure = now;
    const std::int64_t beyond = record.failures - policy_.free_failures;
    if (beyond <= 0) continue;
    const std::int64_t max_delay = policy_.max_delay.count();
    std::int64_t delay = policy_.base_delay.count();
    for (std::int64_t i = 1; i < beyond && delay < max_delay; ++i) delay *= 2;
    record.blocked_until = now + std::min(delay, max_delay);
  }
}

void LoginThrottle::record_success(std::initializer_list<std::string> keys) {
  std::lock_guard lock(mutex_);
  for (const auto& key : keys) records_.erase(key);
}

void LoginThrottle::prune(std::int64_t now) {
  std::erase_if(records_, [&](const auto& item) {
    return item.second.blocked_until <= now && now - item.second.last_failure > policy_.max_delay.count();
  });
}

}  // namespace coffer::server::service
