#include <doctest/doctest.h>

#include <cstdlib>
#include <set>

#include "history/history_names.hpp"

using namespace coffer;
using namespace coffer::history;

namespace {

std::tm moment(int year, int month, int day, int hour, int minute, int second) {
  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  return parts;
}

}  // namespace

TEST_CASE("a version's file name carries its time, its number and the file's extension, and no colon") {
  auto at = moment(2026, 11, 20, 14, 0, 3);
  CHECK(version_file_name("report.txt", at, 3) == "2026-11-20 140003 v3.txt");
  CHECK(version_file_name("archive.tar.gz", at, 12) == "2026-11-20 140003 v12.gz");
  CHECK(version_file_name(".bashrc", at, 1) == "2026-11-20 140003 v1");
  CHECK(version_file_name("Makefile", at, 7) == "2026-11-20 140003 v7");
  CHECK(version_file_name("a.txt", at, 3).find(':') == std::string::npos);
  // Sorting by name sorts by time.
  CHECK(version_file_name("a", moment(2026, 1, 2, 9, 0, 0), 9) < version_file_name("a", moment(2026, 1, 10, 8, 0, 0), 10));
}

TEST_CASE("a name that clashes at a restore gets (restored), then (restored 2), before its extension") {
  CHECK(restored_name("report.txt", 1) == "report (restored).txt");
  CHECK(restored_name("report.txt", 2) == "report (restored 2).txt");
  CHECK(restored_name("photos", 1) == "photos (restored)");
  CHECK(restored_name(".bashrc", 3) == ".bashrc (restored 3)");
  std::set<std::string> taken{"a.txt", "a (restored).txt"};
  CHECK(free_restored_name("a.txt", [&](const std::string& n) { return taken.contains(n); }) == "a (restored 2).txt");
  CHECK(free_restored_name("b.txt", [&](const std::string& n) { return taken.contains(n); }) == "b.txt");
  std::string long_name(250, 'x');
  auto cut = restored_name(long_name + ".txt", 1);
  CHECK(cut.size() == 255);
  CHECK(cut.ends_with(" (restored).txt"));
  CHECK(numbered_name("a.txt", 1) == "a.txt");
  CHECK(numbered_name("a.txt", 2) == "a (2).txt");
}

TEST_CASE("TIME is a local date and time or Unix seconds; AGE a number and a unit") {
  ::setenv("TZ", "UTC", 1);
  ::tzset();
  CHECK(parse_time("1700000000").value() == 1700000000);
  CHECK(parse_time("2026-11-20 14:00").value() == 1795183200);
  CHECK(parse_time("2026-11-20 14:00:03").value() == 1795183203);
  CHECK(parse_time("2026-11-20").error().code == Errc::invalid_argument);
  CHECK(parse_time("2026-13-20 14:00").error().code == Errc::invalid_argument);
  CHECK(parse_time("2026-02-30 14:00").error().code == Errc::invalid_argument);
  CHECK(parse_time("2026-11-20T14:00").error().code == Errc::invalid_argument);
  CHECK(parse_time("yesterday").error().code == Errc::invalid_argument);
  CHECK(parse_age("30d").value() == 30 * 86400);
  CHECK(parse_age("12h").value() == 12 * 3600);
  CHECK(parse_age("45m").value() == 45 * 60);
  CHECK(parse_age("2w").value() == 14 * 86400);
  CHECK(parse_age("90s").value() == 90);
  CHECK(parse_age("30").error().code == Errc::invalid_argument);
  CHECK(parse_age("d").error().code == Errc::invalid_argument);
  CHECK(parse_age("-1d").error().code == Errc::invalid_argument);
  CHECK(parse_age("3y").error().code == Errc::invalid_argument);
}
