#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "server/config/server_config.hpp"

namespace coffer::server::service {

// Who is trying: the user name (empty for an invite redemption, which names no user) and the
// source address as the connection gave it.
struct LoginAttempt {
  std::string_view user;
  std::string_view address;
};

// Backoff for failed logins, proofs of the password and invite redemptions (docs/server.md,
// "Backoff"). Two records per attempt: the source address, and the (user, address) pair; never
// the user name alone, so failures from one address cannot lock the user out of another.
// After `free_failures` failures of a pair (`address_free_failures` of an address), each
// further failure blocks the record for base_delay * 2^k (k = failures beyond the free ones,
// from 0), capped at max_delay. A blocked attempt is answered 429 without checking the
// password. A record starts afresh a day after its last failure once it is not blocked, and
// a success forgets the pair (not the address: a user's own login does not buy guesses at
// other names). At most `max_tracked` records are kept: beyond that the one whose last
// failure is oldest goes. Kept in memory: a restart forgets it.
class LoginThrottle {
 public:
  explicit LoginThrottle(LoginBackoff policy) : policy_(policy) {}

  // Seconds until the attempt may be made; 0 when it may now.
  std::int64_t retry_after(const LoginAttempt& attempt, std::int64_t now);
  // Counts a failure; returns the seconds it blocks the attempt for (0: not blocked yet).
  std::int64_t record_failure(const LoginAttempt& attempt, std::int64_t now);
  void record_success(const LoginAttempt& attempt);
  std::size_t tracked();

 private:
  struct Record {
    std::int64_t failures = 0;
    std::int64_t blocked_until = 0;
    std::int64_t last_failure = 0;
    std::list<std::string>::iterator age;  // its place in ages_
  };
  std::int64_t fail(const std::string& key, std::int64_t free_failures, std::int64_t now);
  std::int64_t wait(const std::string& key, std::int64_t now) const;
  bool expired(const Record& record, std::int64_t now) const;
  void forget(const std::string& key);

  LoginBackoff policy_;
  std::mutex mutex_;
  std::unordered_map<std::string, Record> records_;
  std::list<std::string> ages_;  // keys, most recent failure first
};

// The part of an address that backs off: an IPv4 address whole; an IPv6 address by its /64
// (one host or home usually holds a whole /64); an IPv4-mapped IPv6 address as IPv4. Text
// that is no address is used as it is.
std::string throttle_address(std::string_view address);

}  // namespace coffer::server::service
