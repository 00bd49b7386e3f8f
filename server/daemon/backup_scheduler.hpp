#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "server/config/server_config.hpp"
#include "server/storage/blob_store.hpp"

namespace coffer::server::daemon {

// When the next scheduled backup is due (Unix seconds; at or before `now` means now), given the
// newest snapshot's time in the backup folder (none: due now). `local_offset` is the local
// time zone's offset from UTC at `now`, for `daily_at`.
std::int64_t next_backup_at(const BackupSchedule& schedule, std::optional<std::int64_t> newest, std::int64_t now,
                            std::int64_t local_offset);

// cofferd's own backups: one thread that sleeps until a backup is due, takes it (the same
// create_snapshot and prune as `coffer-admin backup create --keep`), logs the outcome, and sleeps
// again; a failed run is tried again an hour later (or at the next due time, if sooner). Stopping
// interrupts a run between two blobs; the partial snapshot it leaves is removed by the next run.
class BackupScheduler {
 public:
  BackupScheduler(BackupSchedule schedule, std::filesystem::path live_database, storage::BlobStore& live_blobs);
  ~BackupScheduler();  // stops and joins
  BackupScheduler(const BackupScheduler&) = delete;
  BackupScheduler& operator=(const BackupScheduler&) = delete;

 private:
  void run(std::stop_token stop);
  Status run_once(std::stop_token stop);
  std::optional<std::int64_t> newest_snapshot() const;

  BackupSchedule schedule_;
  std::filesystem::path live_database_;
  storage::BlobStore& live_blobs_;
  std::mutex mutex_;  // only for waiting; guards nothing
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace coffer::server::daemon
