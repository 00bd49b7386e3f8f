#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "util/result.hpp"

namespace coffer::control {

// The running daemon's control channel: a Unix socket in the profile folder (mode 0600),
// one request line in, one answer line out. `coffer status`, `sync` and `unmount` use it.
class ControlServer {
 public:
  using Handler = std::function<std::string(const std::string& request)>;

  static Result<std::unique_ptr<ControlServer>> listen(const std::filesystem::path& path, Handler handler);
  // Waits for requests being answered.
  ~ControlServer();

 private:
  ControlServer(std::filesystem::path path, int fd, Handler handler);
  void serve();
  void answer(int client);
  // Closes a request's connection and counts it done.
  void finish(int client);

  std::filesystem::path path_;
  int fd_ = -1;
  Handler handler_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;  // guards active_
  std::condition_variable idle_;
  unsigned active_ = 0;  // requests being answered
  std::thread thread_;
};

// Sends one request; Errc::unavailable when no daemon listens.
Result<std::string> control_request(const std::filesystem::path& path, const std::string& request,
                                    std::chrono::seconds timeout);

}  // namespace coffer::control
