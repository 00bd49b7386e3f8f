#include "sync/journal_flusher.hpp"

#include <spdlog/spdlog.h>

#include "log/thread_barrier.hpp"

namespace coffer::sync {

JournalFlusher::JournalFlusher(Journal& journal, std::chrono::milliseconds interval)
    : journal_(journal), interval_(interval), thread_([this] { run(); }) {}

JournalFlusher::~JournalFlusher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void JournalFlusher::run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    bool stopping = wake_.wait_for(lock, interval_, [&] { return stopping_; });
    lock.unlock();
    auto flushed = log::barrier("journal flusher", [&] { return journal_.flush(); });
    if (!flushed) spdlog::error("journal: {}", flushed.error().message);
    lock.lock();
    if (stopping) return;
  }
}

}  // namespace coffer::sync
