#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "server/backup/backup_repository.hpp"
#include "server/backup/progress.hpp"

namespace coffer::server::backup {

struct VerifyReport {
  std::vector<std::string> snapshots;  // the snapshots checked
  std::uint64_t blobs = 0;             // distinct blobs re-hashed
  std::uint64_t bytes = 0;
  std::vector<std::string> problems;  // one line each, naming the snapshot or blob; empty: all good
};

// Checks snapshots of `repository` (one by name, or all when `name` is empty): the database file
// hashes to what snapshot.json recorded, SQLite's integrity_check and foreign_key_check pass
// (every entry, version, chunk list, grant and session refers to rows that exist), and every blob
// the database lists is in the repository with its size and bytes that hash to its id. Each
// distinct blob is read and hashed once however many snapshots list it.
Result<VerifyReport> verify_snapshots(BackupRepository& repository, const std::string& name,
                                      const ProgressSink& progress);

}  // namespace coffer::server::backup
