#include "server/retention/retention_policy.hpp"

#include <map>

namespace coffer::server::retention {
namespace {

constexpr std::int64_t kDay = 24 * 3600;
constexpr std::int64_t kWeek = 7 * kDay;
// 1970-01-01 was a Thursday: shifted by three days, weeks start on Monday.
constexpr std::int64_t kWeekShift = 3 * kDay;

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
  return value / divisor - (value % divisor != 0 && value < 0 ? 1 : 0);
}

// Of the versions younger than `horizon`, the newest in each bucket of `width` seconds.
void keep_newest_per_bucket(const std::vector<VersionAge>& versions, std::int64_t now, std::int64_t horizon,
                            std::int64_t width, std::int64_t shift, std::set<std::uint64_t>& kept) {
  std::map<std::int64_t, VersionAge> newest;
  for (const auto& version : versions) {
    if (now - version.created_at >= horizon) continue;
    const std::int64_t bucket = floor_div(version.created_at + shift, width);
    auto [slot, inserted] = newest.try_emplace(bucket, version);
    const bool later = version.created_at > slot->second.created_at ||
                       (version.created_at == slot->second.created_at && version.version > slot->second.version);
    if (!inserted && later) slot->second = version;
  }
  for (const auto& [bucket, version] : newest) kept.insert(version.version);
}

}  // namespace

std::set<std::uint64_t> keep_by_age(const std::vector<VersionAge>& versions, std::uint64_t current, std::int64_t now,
                                    const RetentionPolicy& policy) {
  std::set<std::uint64_t> kept{current};
  for (const auto& version : versions) {
    if (now - version.created_at < policy.keep_all.count()) kept.insert(version.version);
  }
  keep_newest_per_bucket(versions, now, policy.daily.count(), kDay, 0, kept);
  keep_newest_per_bucket(versions, now, policy.weekly.count(), kWeek, kWeekShift, kept);
  return kept;
}

std::size_t prune_for_cap(const std::vector<OldVersion>& oldest_first, std::uint64_t max_old_bytes) {
  if (max_old_bytes == 0) return 0;
  std::map<std::string, std::pair<std::uint64_t, std::size_t>> listed;  // blob -> (size, versions listing it)
  std::uint64_t held = 0;
  for (const auto& version : oldest_first) {
    for (const auto& [blob, size] : version.blobs) {
      auto [slot, inserted] = listed.try_emplace(blob, size, 0);
      if (inserted) held += size;
      ++slot->second.second;
    }
  }
  std::size_t pruned = 0;
  while (held > max_old_bytes && pruned < oldest_first.size()) {
    for (const auto& [blob, size] : oldest_first[pruned].blobs) {
      auto& slot = listed.at(blob);
      if (--slot.second == 0) held -= slot.first;
    }
    ++pruned;
  }
  return pruned;
}

}  // namespace coffer::server::retention
