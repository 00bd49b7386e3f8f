#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/storage/local/local_blob_store.hpp"
#include "util/result.hpp"

namespace coffer::server::backup {

// What snapshot.json says of one complete snapshot.
struct SnapshotInfo {
  std::string name;          // the folder's name: the UTC time it was taken, 20261202T081500Z
  std::int64_t created = 0;  // Unix seconds
  int schema_version = 0;
  std::string database_sha256;
  std::uint64_t database_bytes = 0;
  std::uint64_t blobs = 0;  // blobs the snapshot's database lists, and their bytes
  std::uint64_t blob_bytes = 0;
  std::uint64_t copied_blobs = 0;  // of those, copied by this run (the others were in DIR already)
  std::uint64_t copied_bytes = 0;
  std::vector<std::string> damaged;  // blobs the live store lacked or held with the wrong bytes: not in the backup
};

// A backup folder (docs/server.md, "Backups"):
//
//   DIR/coffer-backup.json            {"format": 1}: marks the folder, refuses others
//   DIR/lock                          flock'ed by every run that changes DIR
//   DIR/blobs/<2 hex>/<64 hex>        every blob of every snapshot, once (a LocalBlobStore)
//   DIR/snapshots/<name>/coffer.db    the database, one self-contained SQLite file
//   DIR/snapshots/<name>/snapshot.json
//
// A snapshot is built in snapshots/<name>.partial/ and renamed when complete, so a run that
// stops half way leaves no snapshot that looks whole (the next run removes the partial one).
class BackupRepository {
 public:
  // Opens DIR, creating it (mode 0700) when missing or empty; takes the lock.
  static Result<std::unique_ptr<BackupRepository>> create_or_open(const std::filesystem::path& dir);
  // Opens an existing backup folder to read it (Errc::not_found when DIR is not one); no lock.
  static Result<std::unique_ptr<BackupRepository>> open(const std::filesystem::path& dir);
  ~BackupRepository();
  BackupRepository(const BackupRepository&) = delete;
  BackupRepository& operator=(const BackupRepository&) = delete;

  const std::filesystem::path& path() const { return dir_; }
  storage::LocalBlobStore& blobs() { return *blobs_; }

  // Complete snapshots, oldest first. A snapshot.json that does not parse is an error naming it.
  Result<std::vector<SnapshotInfo>> snapshots() const;
  // One snapshot by name, or the newest when `name` is empty (Errc::not_found when none).
  Result<SnapshotInfo> snapshot(const std::string& name) const;
  std::filesystem::path database_of(const std::string& name) const;

  // A new snapshot's name (the time, made unique) and its empty .partial folder.
  Result<std::string> begin_snapshot(std::int64_t now);
  std::filesystem::path partial_dir(const std::string& name) const;
  // Writes snapshot.json into the partial folder, syncs it and the database, and renames the
  // folder into place.
  Status commit_snapshot(const SnapshotInfo& info);
  // Removes a snapshot's folder (not its blobs: prune() does that).
  Status remove_snapshot(const std::string& name);

 private:
  BackupRepository(std::filesystem::path dir, int lock_fd) : dir_(std::move(dir)), lock_fd_(lock_fd) {}
  std::filesystem::path dir_;
  int lock_fd_ = -1;
  std::unique_ptr<storage::LocalBlobStore> blobs_;
};

}  // namespace coffer::server::backup
