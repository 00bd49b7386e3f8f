#pragma once

#include <optional>
#include <string>

#include "crypto/secure_buffer.hpp"
#include "util/result.hpp"

namespace coffer::cli {

// A password from the first line of `file` when given, else from a no-echo prompt on the
// terminal (asked twice when `confirm`). Never from the command line. Wiped when freed.
Result<SecureBytes> read_password(const std::string& prompt, const std::optional<std::string>& file, bool confirm);

// A line typed on the terminal with echo on, for answers that are no secret (a confirmation).
// Errc::invalid_argument when there is no terminal.
Result<std::string> read_terminal_line(const std::string& prompt);

}  // namespace coffer::cli
