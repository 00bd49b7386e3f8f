#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "server/config/server_config.hpp"

namespace coffer::server::retention {

// Which old versions to keep (docs/server.md, "Retention"), as pure functions of what the store
// holds and a clock, so every boundary can be tested with a fixed `now`.

struct VersionAge {
  std::uint64_t version = 0;
  std::int64_t created_at = 0;  // UNIX seconds, the server's clock at the commit
};

// The versions of one node to keep: the current one always; every version younger than
// `keep_all`; of the versions younger than `daily`, the newest of each UTC day; of those younger
// than `weekly`, the newest of each week (Monday 00:00 UTC to Sunday). A version from the future
// (a clock set back) is younger than everything and kept.
std::set<std::uint64_t> keep_by_age(const std::vector<VersionAge>& versions, std::uint64_t current, std::int64_t now,
                                    const RetentionPolicy& policy);

// An old version (not the current one of its node) with the blobs it lists that no current
// version of the same user lists: what only old versions hold.
struct OldVersion {
  std::string node_id;
  std::uint64_t version = 0;
  std::vector<std::pair<std::string, std::uint64_t>> blobs;  // (blob id, size)
};

// How many of `oldest_first` to prune, from the oldest on, so that the distinct blobs the rest
// hold take at most `max_old_bytes` (0: no cap, none pruned). A blob several old versions list
// counts once, and frees its bytes only when the last of them goes.
std::size_t prune_for_cap(const std::vector<OldVersion>& oldest_first, std::uint64_t max_old_bytes);

}  // namespace coffer::server::retention
