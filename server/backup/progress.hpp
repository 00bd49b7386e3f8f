#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace coffer::server::backup {

// How far a long backup step has come, for a progress line on a terminal or a log line.
struct Progress {
  std::string phase;  // "copying blobs", "verifying blobs"
  std::uint64_t done_items = 0;
  std::uint64_t total_items = 0;
  std::uint64_t done_bytes = 0;
  std::uint64_t total_bytes = 0;
};

// Called often (after every batch); the receiver decides how often to show it.
using ProgressSink = std::function<void(const Progress&)>;

}  // namespace coffer::server::backup
