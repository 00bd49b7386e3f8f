#pragma once

#include <cstdint>
#include <initializer_list>
#include <mutex>
#include <string>
#include <unordered_map>

#include "server/config/server_config.hpp"

namespace coffer::server::service {

// Backoff for failed logins and invite redemptions, per key ("user:NAME", "address:IP"). After
// `free_failures` failures in a row, each further failure blocks the key for base_delay * 2^k
// (k = failures beyond the free ones, from 0), capped at max_delay. A blocked attempt is answered
// 429 without checking the password, so guessing costs the attacker the wait. Kept in memory: a
// restart forgets it, which costs an attacker a restart they cannot cause.
class LoginThrottle {
 public:
  explicit LoginThrottle(LoginBackoff policy) : policy_(policy) {}

  // Seconds until any of `keys` may try again; 0 when all may.
  std::int64_t retry_after(std::initializer_list<std::string> keys, std::int64_t now);
  void record_failure(std::initializer_list<std::string> keys, std::int64_t now);
  void record_success(std::initializer_list<std::string> keys);

 private:
  struct Record {
    std::int64_t failures = 0;
    std::int64_t blocked_until = 0;
    std::int64_t last_failure = 0;
  };
  void prune(std::int64_t now);

  LoginBackoff policy_;
  std::mutex mutex_;
  std::unordered_map<std::string, Record> records_;
};

}  // namespace coffer::server::service
