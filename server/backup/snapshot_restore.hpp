#pragma once

#include <filesystem>
#include <string>

#include "server/backup/backup_repository.hpp"
#include "server/backup/progress.hpp"

namespace coffer::server::backup {

// Builds a new data directory from a snapshot (the newest when `name` is empty): the database,
// checked against snapshot.json and brought to this binary's schema as cofferd would at start,
// and every blob it lists, verified against its id on the way. `data_dir` must not exist or be
// empty; a restore that fails leaves what it made there and says so (nothing else is touched).
Result<SnapshotInfo> restore_snapshot(BackupRepository& repository, const std::string& name,
                                      const std::filesystem::path& data_dir, const ProgressSink& progress);

}  // namespace coffer::server::backup
