#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "server/config/server_config.hpp"
#include "util/result.hpp"

namespace coffer::server::retention {

struct PruneRequest {
  RetentionPolicy policy;
  std::int64_t now = 0;             // the clock the policy is applied at (UNIX seconds)
  bool dry_run = false;             // count what would go; change nothing
  std::optional<std::string> user;  // only this user's nodes; all when none
};

struct PruneReport {
  std::uint64_t versions = 0;  // removed
  std::uint64_t files = 0;     // nodes that lost versions
  std::uint64_t unreferenced_blobs = 0;  // listed by no version any more: gc frees them
  std::uint64_t unreferenced_bytes = 0;
  std::uint64_t history_rows = 0;  // entries removed longer ago than the longest horizon, forgotten
};

// Applies the retention policy to every file's old versions (docs/server.md, "Retention"),
// beside a running cofferd, on its own SQLite connection: first by age (keep_by_age, node by
// node), then each user's cap on the bytes only old versions hold (prune_for_cap), then the
// entry history of entries removed longer ago than the longest of keep_all, daily and weekly
// (no listing of the past can show a version older than that anyway). Versions go
// with their chunk lists in write transactions of at most a few hundred versions, so cofferd's
// writers get their turn; the usage triggers give the bytes back. Blobs are left to gc. A dry
// run does the same in one transaction that is rolled back. Errc::not_found for an unknown user.
Result<PruneReport> prune_versions(const std::filesystem::path& database, const PruneRequest& request);

}  // namespace coffer::server::retention
