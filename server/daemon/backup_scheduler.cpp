#include "server/daemon/backup_scheduler.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "log/thread_barrier.hpp"
#include "server/backup/snapshot_create.hpp"
#include "server/backup/snapshot_prune.hpp"
#include "util/unix_time.hpp"

namespace coffer::server::daemon {
namespace {

constexpr std::int64_t kRetryAfterFailure = 3600;
constexpr std::int64_t kDay = 24 * 3600;

std::int64_t local_offset_at(std::int64_t now) {
  const std::time_t t = now;
  std::tm local{};
  localtime_r(&t, &local);
  return local.tm_gmtoff;
}

}  // namespace

std::int64_t next_backup_at(const BackupSchedule& schedule, std::optional<std::int64_t> newest, std::int64_t now,
                            std::int64_t local_offset) {
  if (!newest) return now;
  if (schedule.every) return *newest + schedule.every->count();
  // The last time the clock showed daily_at, at or before now; due if the newest is older.
  const std::int64_t at = schedule.daily_at->count() * 60;
  const std::int64_t local_now = now + local_offset;
  std::int64_t last = local_now - ((local_now % kDay) + kDay) % kDay + at;
  if (last > local_now) last -= kDay;
  last -= local_offset;
  return *newest < last ? now : last + kDay;
}

BackupScheduler::BackupScheduler(BackupSchedule schedule, std::filesystem::path live_database,
                                 storage::BlobStore& live_blobs)
    : schedule_(std::move(schedule)), live_database_(std::move(live_database)), live_blobs_(live_blobs),
      thread_([this](std::stop_token stop) { run(stop); }) {}

BackupScheduler::~BackupScheduler() {
  thread_.request_stop();
  thread_.join();
}

std::optional<std::int64_t> BackupScheduler::newest_snapshot() const {
  auto repository = backup::BackupRepository::open(schedule_.dir);
  if (!repository) return std::nullopt;
  auto newest = (*repository)->snapshot("");
  if (!newest) return std::nullopt;
  return newest->created;
}

Status BackupScheduler::run_once(std::stop_token stop) {
  auto repository = backup::BackupRepository::create_or_open(schedule_.dir);
  if (!repository) return repository.error();
  const auto started = std::chrono::steady_clock::now();
  auto made = backup::create_snapshot(live_database_, live_blobs_, **repository, unix_now(), {}, stop);
  if (!made) return made.error();
  const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("backup: snapshot {} in {}: {} blobs, {} copied ({} bytes) in {:.1f} s", made->name,
               schedule_.dir.string(), made->blobs, made->copied_blobs, made->copied_bytes, took);
  if (!made->damaged.empty()) {
    spdlog::error("backup: {} blobs were missing or damaged in the data directory and are not in snapshot {} "
                  "(first: {}); run coffer-admin fsck", made->damaged.size(), made->name, made->damaged.front());
  }
  if (schedule_.keep > 0) {
    auto pruned = backup::prune_snapshots(**repository, static_cast<std::size_t>(schedule_.keep));
    if (!pruned) return pruned.error();
    if (*pruned > 0) spdlog::info("backup: kept the newest {} snapshots, removed {} unused blobs", schedule_.keep, *pruned);
  }
  return {};
}

void BackupScheduler::run(std::stop_token stop) {
  std::int64_t retry_at = 0;  // after a failed run: not before this
  while (!stop.stop_requested()) {
    const auto now = unix_now();
    auto due = next_backup_at(schedule_, newest_snapshot(), now, local_offset_at(now));
    if (retry_at > 0) due = std::max(due, std::min(retry_at, due + kRetryAfterFailure));
    if (due > now) {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, stop, std::chrono::system_clock::from_time_t(due), [] { return false; });
      continue;
    }
    auto ran = log::barrier("backup", [&] { return run_once(stop); });
    if (ran) {
      retry_at = 0;
    } else if (!stop.stop_requested()) {
      spdlog::error("backup into {} failed: {}; trying again in an hour", schedule_.dir.string(), ran.error().message);
      retry_at = unix_now() + kRetryAfterFailure;
    }
  }
}

}  // namespace coffer::server::daemon
