#pragma once

#include <chrono>
#include <cstdint>

namespace coffer {

// Seconds since the Unix epoch on the system clock: the unit of every time the stored formats,
// the server's records, the journals and the command lines carry.
inline std::int64_t unix_seconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

inline std::int64_t unix_now() { return unix_seconds(std::chrono::system_clock::now()); }

}  // namespace coffer
