#include "history/history_names.hpp"

#include <charconv>
#include <cstdio>
#include <limits>

#include "sync/suffixed_name.hpp"

namespace coffer::history {
namespace {

template <class T>
std::optional<T> number_of(std::string_view text) {
  T value{};
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::string version_file_name(std::string_view file_name, const std::tm& local_time, std::uint64_t version) {
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H%M%S", &local_time);
  std::string_view extension = sync::extension_of(file_name);
  std::string name = std::string(stamp) + " v" + std::to_string(version);
  return name + std::string(sync::utf8_prefix(extension, sync::kMaxNameBytes - name.size()));
}

std::string restored_name(std::string_view name, unsigned attempt) {
  return sync::with_suffix(name, attempt <= 1 ? std::string(" (restored)") : " (restored " + std::to_string(attempt) + ")");
}

std::string free_restored_name(std::string_view name, const std::function<bool(const std::string&)>& taken) {
  std::string candidate(name);
  for (unsigned attempt = 1; taken(candidate); ++attempt) candidate = restored_name(name, attempt);
  return candidate;
}

std::string numbered_name(std::string_view name, unsigned number) {
  if (number <= 1) return std::string(name);
  return sync::with_suffix(name, " (" + std::to_string(number) + ")");
}

Result<std::int64_t> parse_time(std::string_view text) {
  if (auto seconds = number_of<std::int64_t>(text)) return *seconds;
  std::tm parts{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  char rest = 0;
  std::string copy(text);
  int fields = std::sscanf(copy.c_str(), "%4d-%2d-%2d %2d:%2d:%2d%c", &year, &month, &day, &hour, &minute, &second, &rest);
  bool shape = (fields == 5 && copy.size() == 16) || (fields == 6 && copy.size() == 19);
  if (!shape || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return make_error(Errc::invalid_argument,
                      "'" + copy + "' is not a time: give YYYY-MM-DD HH:MM[:SS] (local time) or Unix seconds");
  }
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  parts.tm_isdst = -1;  // whatever the local rules say for that day
  std::time_t time = std::mktime(&parts);
  if (time == static_cast<std::time_t>(-1) || parts.tm_mday != day) {
    return make_error(Errc::invalid_argument, "'" + copy + "' is not a date of the calendar");
  }
  return static_cast<std::int64_t>(time);
}

Result<std::int64_t> parse_age(std::string_view text) {
  auto invalid = [&] {
    return make_error(Errc::invalid_argument, "'" + std::string(text) + "' is not an age: give a number and s, m, h, d or w (30d, 12h)");
  };
  if (text.size() < 2) return invalid();
  auto count = number_of<std::int64_t>(text.substr(0, text.size() - 1));
  if (!count || *count < 0) return invalid();
  std::int64_t unit = 0;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: return invalid();
  }
  if (*count > std::numeric_limits<std::int64_t>::max() / unit) return invalid();
  return *count * unit;
}

}  // namespace coffer::history
