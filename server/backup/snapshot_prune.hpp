#pragma once

#include <cstddef>
#include <cstdint>

#include "server/backup/backup_repository.hpp"

namespace coffer::server::backup {

// Removes the oldest snapshots beyond the newest `keep`, then the blobs no remaining snapshot
// lists. Returns how many blobs were removed.
Result<std::uint64_t> prune_snapshots(BackupRepository& repository, std::size_t keep);

}  // namespace coffer::server::backup
