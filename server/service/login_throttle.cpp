#include "server/service/login_throttle.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace coffer::server::service {
namespace {

// Keys: "a" + address, "u" + address + '\n' + user. Neither part holds a newline (user names
// are [a-z0-9._-], addresses come from the socket), so keys cannot collide.
std::string address_key(std::string_view address) { return "a" + throttle_address(address); }

std::string pair_key(const LoginAttempt& attempt) {
  return "u" + throttle_address(attempt.address) + "\n" + std::string(attempt.user);
}

// A record not blocked and without a failure for this long starts afresh. Longer than any
// block (max_delay is at most a day), so waiting out a block does not buy the free failures
// again; a user's own success forgets their pair at once anyway.
constexpr std::int64_t kForgetAfter = 24 * 60 * 60;

}  // namespace

std::string throttle_address(std::string_view address) {
  const std::string text(address);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return text;
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) != 1) return text;
  char out[INET6_ADDRSTRLEN] = {};
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    std::memcpy(&v4, &v6.s6_addr[12], sizeof v4);
    return inet_ntop(AF_INET, &v4, out, sizeof out) ? std::string(out) : text;
  }
  std::fill(std::begin(v6.s6_addr) + 8, std::end(v6.s6_addr), 0);  // the /64
  return inet_ntop(AF_INET6, &v6, out, sizeof out) ? std::string(out) + "/64" : text;
}

std::int64_t LoginThrottle::retry_after(const LoginAttempt& attempt, std::int64_t now) {
  std::lock_guard lock(mutex_);
  std::int64_t wait_for = wait(address_key(attempt.address), now);
  if (!attempt.user.empty()) wait_for = std::max(wait_for, wait(pair_key(attempt), now));
  return wait_for;
}

std::int64_t LoginThrottle::record_failure(const LoginAttempt& attempt, std::int64_t now) {
  std::lock_guard lock(mutex_);
  std::int64_t blocked = fail(address_key(attempt.address), policy_.address_free_failures, now);
  if (!attempt.user.empty()) blocked = std::max(blocked, fail(pair_key(attempt), policy_.free_failures, now));
  return blocked;
}

void LoginThrottle::record_success(const LoginAttempt& attempt) {
  std::lock_guard lock(mutex_);
  if (!attempt.user.empty()) forget(pair_key(attempt));
}

std::size_t LoginThrottle::tracked() {
  std::lock_guard lock(mutex_);
  return records_.size();
}

std::int64_t LoginThrottle::wait(const std::string& key, std::int64_t now) const {
  const auto it = records_.find(key);
  return it == records_.end() ? 0 : std::max<std::int64_t>(0, it->second.blocked_until - now);
}

bool LoginThrottle::expired(const Record& record, std::int64_t now) const {
  return record.blocked_until <= now && now - record.last_failure > kForgetAfter;
}

std::int64_t LoginThrottle::fail(const std::string& key, std::int64_t free_failures, std::int64_t now) {
  auto it = records_.find(key);
  if (it == records_.end()) {
    // Full: the record whose last failure is oldest goes. Evicting can only give an attempt
    // a fresh start, which an attacker with that many addresses has anyway.
    while (!ages_.empty() && records_.size() >= static_cast<std::size_t>(policy_.max_tracked)) {
      forget(std::string(ages_.back()));
    }
    ages_.push_front(key);
    it = records_.emplace(key, Record{0, 0, now, ages_.begin()}).first;
  } else {
    ages_.splice(ages_.begin(), ages_, it->second.age);  // the newest failure now
  }
  Record& record = it->second;
  if (expired(record, now)) record.failures = 0;
  record.failures += 1;
  record.last_failure = now;
  const std::int64_t beyond = record.failures - free_failures;
  if (beyond <= 0) return 0;
  const std::int64_t max_delay = policy_.max_delay.count();
  std::int64_t delay = policy_.base_delay.count();
  for (std::int64_t i = 1; i < beyond && delay < max_delay; ++i) delay *= 2;
  delay = std::min(delay, max_delay);
  record.blocked_until = now + delay;
  return delay;
}

void LoginThrottle::forget(const std::string& key) {
  const auto it = records_.find(key);
  if (it == records_.end()) return;
  ages_.erase(it->second.age);
  records_.erase(it);
}

}  // namespace coffer::server::service
