#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace coffer::config {

// Byte sizes as people write them: "1048576", "64K", "500M", "10G", "2T" (binary multiples;
// an optional trailing "B" or "iB" is accepted: "64KiB", "10GB").
Result<std::uint64_t> parse_size(std::string_view text);
// The shortest exact form: 10737418240 -> "10G", 1536 -> "1536".
std::string format_size(std::uint64_t bytes);
// A human-readable approximation for tables: 1536 -> "1.5K".
std::string format_size_approx(std::uint64_t bytes);

// Durations: a whole number with a unit: "30s", "5m", "2h", "30d", "1w"; a bare number is seconds.
Result<std::chrono::seconds> parse_duration(std::string_view text);
std::string format_duration(std::chrono::seconds duration);

}  // namespace coffer::config
