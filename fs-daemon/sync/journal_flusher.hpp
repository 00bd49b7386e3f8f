#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "sync/journal.hpp"

namespace coffer::sync {

// With journal.sync: background, closing a file does not wait for fsync: this thread makes
// the journal durable every interval (and once more when stopped), bounding what a power
// loss can take to one interval. A crash of the daemon alone loses nothing either way.
class JournalFlusher {
 public:
  JournalFlusher(Journal& journal, std::chrono::milliseconds interval);
  ~JournalFlusher();

 private:
  void run();

  Journal& journal_;
  const std::chrono::milliseconds interval_;
  std::mutex mutex_;  // guards stopping_
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace coffer::sync
