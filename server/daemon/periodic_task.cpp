#include "server/daemon/periodic_task.hpp"

#include <spdlog/spdlog.h>

#include "log/thread_barrier.hpp"

namespace coffer::server::daemon {

PeriodicTask::PeriodicTask(std::string name, std::chrono::seconds first, std::chrono::seconds every, Body body)
    : name_(std::move(name)), first_(first), every_(every), body_(std::move(body)),
      thread_([this](std::stop_token stop) { run(stop); }) {}

PeriodicTask::~PeriodicTask() {
  thread_.request_stop();
  thread_.join();
}

void PeriodicTask::run(std::stop_token stop) {
  auto next = std::chrono::steady_clock::now() + first_;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (wake_.wait_until(lock, stop, next, [] { return false; }) || stop.stop_requested()) return;
    }
    auto ran = log::barrier(name_, [&] { return body_(stop); });
    if (!ran && !stop.stop_requested()) spdlog::error("{} failed: {}", name_, ran.error().message);
    next = std::chrono::steady_clock::now() + every_;
  }
}

}  // namespace coffer::server::daemon
