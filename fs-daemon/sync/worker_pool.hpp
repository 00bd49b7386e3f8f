#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "util/result.hpp"

namespace coffer::sync {

// A fixed set of threads running queued tasks: chunk encryption, blob uploads, readahead.
class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void post(std::function<void()> task);
  // Runs every task on the pool and waits for all; the first failure is returned.
  Status run_all(std::vector<std::function<Status()>> tasks);

 private:
  void run();

  std::mutex mutex_;  // guards tasks_, stopping_
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace coffer::sync
