#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace coffer::server::service {

// Who is asking: established from the session token before any route runs.
struct Caller {
  std::int64_t user_id = 0;
  std::string user;
  bool admin = false;
  std::string session_id;
  std::string address;  // remote address, for the audit log and login backoff
  // The account's quota and usage when the request arrived: enough to refuse an upload before
  // its body is read; the transaction that stores the blob checks again.
  std::optional<std::uint64_t> quota;
  std::uint64_t used = 0;
  std::string device;  // the session's device name, recorded with the versions it commits
};

}  // namespace coffer::server::service
