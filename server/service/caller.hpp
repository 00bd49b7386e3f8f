#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace coffer::server::service {

// The bearer of a share link's token (docs/server.md, "Links"): reads the linked node and,
// for a folder, what is below it, and nothing else.
struct LinkAccess {
  std::string link_id;
  std::string node_id;
};

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
  // Set for a link token instead of a session; user_id is then 0, which no account has, so
  // every check made by user refuses it (read_access.hpp decides what it may read).
  std::optional<LinkAccess> link;
};

}  // namespace coffer::server::service
