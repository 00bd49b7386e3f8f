#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <stop_token>
#include <thread>

#include "cache/metadata_cache.hpp"
#include "sync/upload_queue.hpp"
#include "vfs/vfs.hpp"

namespace coffer::vfs {

// Writes what the Vfs marked for the metadata cache every `interval` (write-behind: a crash
// loses at most the last interval, and a lost row only costs a listing from the server), in one
// transaction with the change feed cursor the rows are current with. The cursor moves only when
// no mark is left waiting for the server: rows may be newer than their cursor, never older, so
// the changes after it, read again at the next mount, cover everything the rows miss. One
// thread, one exception barrier; a failure empties the cache and stops writing it for this
// mount, as does an op the upload queue set aside (the mount may then show what the server
// never took, which must not outlive the mount).
class MetadataWriter {
 public:
  static constexpr std::chrono::milliseconds kInterval{1000};

  MetadataWriter(Vfs& vfs, cache::MetadataCache& cache, sync::UploadQueue& queue,
                 std::chrono::milliseconds interval = kInterval);
  ~MetadataWriter();
  MetadataWriter(const MetadataWriter&) = delete;
  MetadataWriter& operator=(const MetadataWriter&) = delete;

  // The cursor up to which every change of the feed is applied (feed::ChangeFollower).
  void feed_current(std::uint64_t cursor);
  // Writes what is marked now with `stored` no longer clean (this mount will change things),
  // then starts the thread. `stored`: the state the cache was opened with, if it is used.
  void start(std::optional<cache::MetadataState> stored);
  // Joins the thread and writes once more, clean when no mark is left waiting.
  void stop();

 private:
  void run(std::stop_token stop);
  Status write_once(bool final);
  void give_up(const Error& why);

  Vfs& vfs_;
  cache::MetadataCache& cache_;
  sync::UploadQueue& queue_;
  std::chrono::milliseconds interval_;
  std::mutex cursor_mutex_;  // guards feed_cursor_; a leaf lock
  std::optional<std::uint64_t> feed_cursor_;
  // The writing thread's own (start() and stop() write while it does not run).
  std::optional<cache::MetadataState> stored_;
  std::uint64_t failed_at_start_ = 0;
  bool given_up_ = false;
  std::jthread thread_;
};

}  // namespace coffer::vfs
