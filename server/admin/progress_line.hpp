#pragma once

#include <chrono>

#include "server/backup/progress.hpp"

namespace coffer::server::admin {

// A progress line on stderr for long runs, redrawn in place at most ten times a second; nothing
// when stderr is not a terminal (scripts and logs get the final summary only).
class ProgressLine {
 public:
  ProgressLine();
  ~ProgressLine();  // ends the line
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  backup::ProgressSink sink();

 private:
  void show(const backup::Progress& progress);
  bool terminal_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace coffer::server::admin
