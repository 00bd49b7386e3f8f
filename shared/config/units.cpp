#include "config/units.hpp"

#include <array>
#include <charconv>
#include <cstdio>
#include <limits>
#include <utility>

namespace coffer::config {
namespace {

// "'TEXT' WHAT". Built by appending: GCC 12 at -O3 reports a false -Wrestrict on
// `"literal" + std::string(...)` (GCC bug 105329), which breaks Release builds.
std::string quoted_message(std::string_view whole, std::string_view what) {
  std::string message;
  message.reserve(whole.size() + what.size() + 3);
  message.append("'").append(whole).append("' ").append(what);
  return message;
}

Result<std::uint64_t> parse_count(std::string_view digits, std::string_view whole) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size()) {
    return make_error(Errc::invalid_argument, quoted_message(whole, "is not a whole number with an optional unit"));
  }
  return value;
}

Result<std::uint64_t> scale(std::uint64_t value, std::uint64_t unit, std::string_view whole) {
  if (unit != 0 && value > std::numeric_limits<std::uint64_t>::max() / unit) {
    return make_error(Errc::invalid_argument, quoted_message(whole, "is too large"));
  }
  return value * unit;
}

std::size_t digit_prefix(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  return i;
}

constexpr std::array<std::pair<char, std::uint64_t>, 4> kSizeUnits{{
    {'K', 1ull << 10}, {'M', 1ull << 20}, {'G', 1ull << 30}, {'T', 1ull << 40}}};

constexpr std::array<std::pair<char, std::uint64_t>, 5> kDurationUnits{{
    {'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 604800}}};

}  // namespace

Result<std::uint64_t> parse_size(std::string_view text) {
  const std::size_t digits = digit_prefix(text);
  std::string_view suffix = text.substr(digits);
  if (suffix == "B" || suffix.empty()) return parse_count(text.substr(0, digits), text);
  if (suffix.size() > 1 && (suffix.substr(1) == "B" || suffix.substr(1) == "iB")) suffix = suffix.substr(0, 1);
  for (auto [letter, unit] : kSizeUnits) {
    if (suffix.size() == 1 && (suffix[0] == letter || suffix[0] == letter + ('a' - 'A'))) {
      auto count = parse_count(text.substr(0, digits), text);
      if (!count) return count;
      return scale(*count, unit, text);
    }
  }
  return make_error(Errc::invalid_argument,
                    quoted_message(text, "is not a size (a whole number with an optional K, M, G or T)"));
}

std::string format_size(std::uint64_t bytes) {
  for (auto it = kSizeUnits.rbegin(); it != kSizeUnits.rend(); ++it) {
    if (bytes != 0 && bytes % it->second == 0) return std::to_string(bytes / it->second) + it->first;
  }
  return std::to_string(bytes);
}

std::string format_size_approx(std::uint64_t bytes) {
  for (auto it = kSizeUnits.rbegin(); it != kSizeUnits.rend(); ++it) {
    if (bytes >= it->second) {
      std::array<char, 32> out{};
      std::snprintf(out.data(), out.size(), "%.1f%c", static_cast<double>(bytes) / static_cast<double>(it->second),
                    it->first);
      return out.data();
    }
  }
  return std::to_string(bytes);
}

Result<std::chrono::seconds> parse_duration(std::string_view text) {
  const std::size_t digits = digit_prefix(text);
  const std::string_view suffix = text.substr(digits);
  std::uint64_t unit = 0;
  if (suffix.empty()) unit = 1;
  for (auto [letter, seconds] : kDurationUnits) {
    if (suffix.size() == 1 && suffix[0] == letter) unit = seconds;
  }
  if (unit == 0) {
    return make_error(Errc::invalid_argument,
                      quoted_message(text, "is not a duration (a whole number with s, m, h, d or w)"));
  }
  auto count = parse_count(text.substr(0, digits), text);
  if (!count) return count.error();
  auto total = scale(*count, unit, text);
  if (!total || *total > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return make_error(Errc::invalid_argument, quoted_message(text, "is too long"));
  }
  return std::chrono::seconds(static_cast<std::int64_t>(*total));
}

std::string format_duration(std::chrono::seconds duration) {
  const auto seconds = static_cast<std::uint64_t>(duration.count());
  for (auto it = kDurationUnits.rbegin(); it != kDurationUnits.rend(); ++it) {
    if (seconds != 0 && seconds % it->second == 0) return std::to_string(seconds / it->second) + it->first;
  }
  return std::to_string(seconds) + "s";
}

}  // namespace coffer::config
