// The retention policy as pure functions, on a fixed clock: every boundary of each rule alone,
// then the default policy and the per-user cap.
#include <doctest/doctest.h>

#include "server/retention/retention_policy.hpp"

using namespace coffer::server;
using retention::VersionAge;

namespace {

using std::chrono::hours;
using std::chrono::seconds;
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kNow = 1795435200;  // Monday 2026-11-23 12:00:00 UTC
constexpr std::int64_t kMidnight = kNow - 12 * 3600;  // Monday 00:00 UTC: a day and a week start here

RetentionPolicy only(seconds keep_all, seconds daily, seconds weekly) {
  RetentionPolicy policy;
  policy.keep_all = keep_all;
  policy.daily = daily;
  policy.weekly = weekly;
  return policy;
}

// Versions 1.. at the given times; the current one is the last unless said.
std::set<std::uint64_t> kept(const std::vector<std::int64_t>& times, const RetentionPolicy& policy,
                             std::uint64_t current = 0) {
  std::vector<VersionAge> versions;
  for (std::size_t i = 0; i < times.size(); ++i) versions.push_back(VersionAge{i + 1, times[i]});
  return retention::keep_by_age(versions, current == 0 ? times.size() : current, kNow, policy);
}

using Kept = std::set<std::uint64_t>;

}  // namespace

TEST_CASE("the current version is kept whatever its age") {
  const auto none = only(seconds(0), seconds(0), seconds(0));
  CHECK(kept({kNow - 800 * kDay, kNow - 700 * kDay}, none) == Kept{2});
  CHECK(kept({kNow - 800 * kDay, kNow - 700 * kDay}, none, 1) == Kept{1});
  CHECK(kept({kNow - 800 * kDay}, RetentionPolicy{}) == Kept{1});
}

TEST_CASE("keep_all: every version younger than 24 hours") {
  const auto policy = only(hours(24), seconds(0), seconds(0));
  CHECK(kept({kNow - kDay, kNow - kDay + 1, kNow - 60, kNow}, policy) == Kept{2, 3, 4});
  CHECK(kept({kNow + 3600, kNow - 2 * kDay}, policy, 2) == Kept{1, 2});  // from the future: young
}

TEST_CASE("daily: the newest version of each UTC day younger than the horizon") {
  const auto policy = only(seconds(0), hours(24 * 30), seconds(0));
  // Sunday 23:59:59 and Monday 00:00:00 are two days; of Monday's three, the newest stays.
  CHECK(kept({kMidnight - 1, kMidnight, kMidnight + 5, kMidnight + 3600}, policy) == Kept{1, 4});
  CHECK(kept({kMidnight - 1, kMidnight, kMidnight + 5, kMidnight + 3600}, policy, 2) == Kept{1, 2, 4});
  // Exactly 30 days old is past the horizon; a second younger is within it.
  CHECK(kept({kNow - 30 * kDay, kNow}, policy) == Kept{2});
  CHECK(kept({kNow - 30 * kDay + 1, kNow}, policy) == Kept{1, 2});
  // Two versions in one second: the higher number is the newer.
  CHECK(kept({kMidnight - 100, kMidnight - 100, kNow}, policy) == Kept{2, 3});
}

TEST_CASE("weekly: the newest version of each week (Monday to Sunday, UTC) younger than the horizon") {
  const auto policy = only(seconds(0), seconds(0), hours(24 * 365));
  const std::int64_t last_monday = kMidnight - 7 * kDay;
  // Last Monday 00:00 and last Sunday 23:59:59 share a week (the later stays); this Monday starts another.
  CHECK(kept({last_monday, kMidnight - 1, kMidnight, kNow}, policy) == Kept{2, 4});
  CHECK(kept({last_monday - 1, last_monday, kNow}, policy) == Kept{1, 2, 3});  // a Sunday before: a third week
  CHECK(kept({kNow - 365 * kDay, kNow}, policy) == Kept{2});
  CHECK(kept({kNow - 365 * kDay + 1, kNow}, policy) == Kept{1, 2});
}

TEST_CASE("the default policy: all for 24 h, one a day for 30 days, one a week for a year, then nothing") {
  const RetentionPolicy policy;
  const std::vector<std::int64_t> times{
      kNow - 400 * kDay,            // 1: older than a year
      kNow - 100 * kDay - 3600,     // 2: same week as 3, older
      kNow - 100 * kDay,            // 3: newest of its week
      kNow - 10 * kDay - 7200,      // 4: same day as 5, older
      kNow - 10 * kDay,             // 5: newest of its day
      kNow - 30 * 3600,             // 6: Sunday: newest of its day
      kNow - 24 * 3600 - 1,         // 7: Sunday too, newer: 6 goes, 7 stays
      kNow - 3 * 3600,              // 8: within 24 h
      kNow - 2 * 3600,              // 9: within 24 h
      kNow};                        // 10: current
  CHECK(kept(times, policy) == Kept{3, 5, 7, 8, 9, 10});
}

TEST_CASE("the cap prunes old versions oldest first until what only they hold fits") {
  using retention::OldVersion;
  const std::vector<OldVersion> oldest_first{
      {"n1", 1, {{"a", 100}, {"s", 50}}},  // s is shared with the next: freed only with both
      {"n1", 2, {{"s", 50}}},
      {"n2", 1, {}},  // lists only what current versions list: costs nothing
      {"n2", 2, {{"b", 30}}},
  };
  CHECK(retention::prune_for_cap(oldest_first, 0) == 0);    // no cap
  CHECK(retention::prune_for_cap(oldest_first, 180) == 0);  // 100 + 50 + 30 fit
  CHECK(retention::prune_for_cap(oldest_first, 179) == 1);  // without n1/1: 50 + 30
  CHECK(retention::prune_for_cap(oldest_first, 79) == 2);   // without n1/2 as well: 30
  CHECK(retention::prune_for_cap(oldest_first, 29) == 4);   // everything old
}
