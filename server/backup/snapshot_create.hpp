#pragma once

#include <cstdint>
#include <filesystem>
#include <stop_token>

#include "server/backup/backup_repository.hpp"
#include "server/backup/progress.hpp"
#include "server/storage/blob_store.hpp"

namespace coffer::server::backup {

// Takes a snapshot of a data directory into `repository` while cofferd keeps serving it:
// SQLite's online backup copies the database as one transaction saw it (cofferd's writers go on
// beside it, WAL), then every blob that copy lists and the repository does not hold yet is
// copied from the live store, verified against its id. Blobs are never changed in place, so the
// database copy and the blobs it names are consistent; a blob deleted from the live store
// between the two (an account deleted meanwhile) makes the run start again from a new database
// copy, up to three times. A blob the live store holds with the wrong bytes, or still lacks
// after the third try, is left out and named in the snapshot (`damaged`) and in the result,
// which is still committed: everything else is backed up, and `backup verify` will name it.
// A stop request ends the run between two blobs (Errc::unavailable), leaving a partial folder
// the next run removes.
Result<SnapshotInfo> create_snapshot(const std::filesystem::path& live_database, storage::BlobStore& live_blobs,
                                     BackupRepository& repository, std::int64_t now, const ProgressSink& progress,
                                     std::stop_token stop = {});

// The SHA-256 of a file's bytes, lowercase hex.
Result<std::string> file_sha256(const std::filesystem::path& file);

}  // namespace coffer::server::backup
