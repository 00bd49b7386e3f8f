#include "server/admin/progress_line.hpp"

#include <unistd.h>

#include <iostream>

#include "config/units.hpp"

namespace coffer::server::admin {

ProgressLine::ProgressLine() : terminal_(::isatty(STDERR_FILENO) == 1) {}

ProgressLine::~ProgressLine() {
  if (drawn_) std::cerr << "\n";
}

backup::ProgressSink ProgressLine::sink() {
  if (!terminal_) return {};
  return [this](const backup::Progress& progress) { show(progress); };
}

void ProgressLine::show(const backup::Progress& progress) {
  const auto now = std::chrono::steady_clock::now();
  const bool last = progress.done_items == progress.total_items;
  if (!last && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  drawn_ = true;
  const auto percent = progress.total_bytes == 0 ? 100 : progress.done_bytes * 100 / progress.total_bytes;
  // \033[K clears what a longer earlier line left.
  std::cerr << "\r" << progress.phase << ": " << progress.done_items << "/" << progress.total_items << " ("
            << config::format_size_approx(progress.done_bytes) << " of " << config::format_size_approx(progress.total_bytes)
            << ", " << percent << "%)\033[K" << std::flush;
}

}  // namespace coffer::server::admin
