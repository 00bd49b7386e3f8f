#include "sync/worker_pool.hpp"

#include <latch>
#include <optional>

#include "log/thread_barrier.hpp"

namespace coffer::sync {

WorkerPool::WorkerPool(unsigned threads) {
  for (unsigned i = 0; i < std::max(threads, 1u); ++i) threads_.emplace_back([this] { run(); });
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void WorkerPool::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  ready_.notify_one();
}

void WorkerPool::run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    // A task that threw has lost its own result, but the worker goes on to the next.
    (void)log::barrier("worker pool", [&] {
      task();
      return Status{};
    });
  }
}

Status WorkerPool::run_all(std::vector<std::function<Status()>> tasks) {
  if (tasks.empty()) return {};
  std::latch done(static_cast<std::ptrdiff_t>(tasks.size()));
  std::mutex error_mutex;
  std::optional<Error> first_error;
  for (auto& task : tasks) {
    post([&, task = std::move(task)] {
      // A throw is this task's failure: the latch must still count it, or run_all never returns.
      auto status = log::barrier("worker pool", task);
      if (!status) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::move(status).error();
      }
      done.count_down();
    });
  }
  done.wait();
  if (first_error) return *first_error;
  return {};
}

}  // namespace coffer::sync
