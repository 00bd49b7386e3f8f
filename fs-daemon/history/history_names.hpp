#pragma once

#include <cstdint>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

// The names and times of history (docs/client.md "Versions and trash"): pure functions, so
// they are tested without a mount.
namespace coffer::history {

// The name of one version's read-only file under `.coffer/versions/PATH/`: the version's local
// time, its number, and the file's extension (what follows the last dot of a name that has one
// and does not start with it): "2026-11-20 140003 v3.txt". No ':' (file managers and SMB refuse
// it); sorting by name sorts by time.
std::string version_file_name(std::string_view file_name, const std::tm& local_time, std::uint64_t version);

// `name` with " (restored)" (attempt 1) or " (restored N)" (attempt N) before its extension, at
// most 255 bytes (the stem is cut first, at a UTF-8 character's start).
std::string restored_name(std::string_view name, unsigned attempt);
// The first of `name`, restored_name(name, 1), restored_name(name, 2), ... that is not taken.
std::string free_restored_name(std::string_view name, const std::function<bool(const std::string&)>& taken);
// `name`, else `name (2)`, `name (3)`, ... before the extension: a name in `.coffer/trash` that
// another trashed item of the same folder already shows.
std::string numbered_name(std::string_view name, unsigned number);

// TIME of `coffer ls --at`: "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS" in local time, or Unix
// seconds. Errc::invalid_argument with what is expected otherwise.
Result<std::int64_t> parse_time(std::string_view text);
// AGE of `coffer trash empty --older-than`: a number and one unit, s, m (minutes), h, d or w
// ("30d", "12h"); seconds.
Result<std::int64_t> parse_age(std::string_view text);

}  // namespace coffer::history
