#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>

namespace coffer::remote {

// Whether the server answers, as the transport last found it: any answer, whatever its status,
// means online; a request the server did not answer (refused, reset, silent past its limit)
// means offline. The mount reads it to serve what it cached without asking a server that is
// away (docs/client.md "Server slow or unreachable"), `coffer status` shows it, and the upload
// queue ends its retry pause when it goes back online.
// Lock order: a leaf; the listener runs without mutex_.
class Connectivity {
 public:
  struct State {
    bool online = true;
    std::chrono::system_clock::time_point since;  // when `online` last changed (or the mount started)
    std::string last_error;                        // the latest request the server did not answer
  };

  Connectivity();

  void answered();
  void unanswered(std::string why);
  bool online() const;
  State state() const;
  // Runs each time the state goes from offline to online, on the thread whose request was
  // answered; that thread may hold a FileContent's lock (a chunk read for a partial write), so
  // the listener takes no lock before UploadQueue::mutex_ in the order (vfs/vfs.hpp).
  void set_online_listener(std::function<void()> listener);

 private:
  mutable std::mutex mutex_;  // guards everything below
  State state_;
  std::function<void()> on_online_;
};

}  // namespace coffer::remote
