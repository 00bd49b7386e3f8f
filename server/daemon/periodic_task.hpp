#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "util/result.hpp"

namespace coffer::server::daemon {

// One background thread that runs `body` `first` after it starts and then every `every`, with
// one exception barrier: a failure or a throw is logged and the next run comes as planned.
// Destroying it asks a running body to stop (its stop token) and joins.
class PeriodicTask {
 public:
  using Body = std::function<Status(std::stop_token)>;
  PeriodicTask(std::string name, std::chrono::seconds first, std::chrono::seconds every, Body body);
  ~PeriodicTask();
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

 private:
  void run(std::stop_token stop);

  std::string name_;
  std::chrono::seconds first_;
  std::chrono::seconds every_;
  Body body_;
  std::mutex mutex_;  // only for waiting; guards nothing
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace coffer::server::daemon
