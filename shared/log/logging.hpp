#pragma once

#include <spdlog/spdlog.h>

#include <string>

namespace coffer::log {

// Sets up the process-wide logger on stderr. `level` is one of spdlog's names
// (trace, debug, info, warn, error, critical, off); an unknown name falls back to info.
// Calling it again replaces the logger.
// Nothing secret is ever passed to a log call: keys, tokens, passwords and plaintext names
// stay out of messages by construction (they are types without a formatter).
void init(const std::string& program, const std::string& level);

}  // namespace coffer::log
