#pragma once

#include <spdlog/spdlog.h>

#include <string>

namespace coffer::log {

// Sets up the process-wide logger on stderr. `level` is one of spdlog's names
// (trace, debug, info, warn, error, critical, off); an unknown name falls back to info.
// Calling it again replaces the logger.
// When stderr is the systemd journal's stream (JOURNAL_STREAM names it), lines carry no time,
// which the journal records itself, and start with the syslog priority (<3> for errors), so
// `journalctl -p` filters them.
// Nothing secret is ever passed to a log call: keys, tokens, passwords and plaintext names
// stay out of messages by construction (they are types without a formatter).
void init(const std::string& program, const std::string& level);

// Changes the level of the logger init() set up (same names, same fallback); safe while other
// threads log.
void set_level(const std::string& level);

}  // namespace coffer::log
