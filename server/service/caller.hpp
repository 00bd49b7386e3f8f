#pragma once

#include <cstdint>
#include <string>

namespace coffer::server::service {

// Who is asking: established from the session token before any route runs.
struct Caller {
  std::int64_t user_id = 0;
  std::string user;
  bool admin = false;
  std::string session_id;
  std::string address;  // remote address, for the audit log and login backoff
};

}  // namespace coffer::server::service
