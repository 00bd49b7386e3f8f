#pragma once

#include <CLI/CLI.hpp>

namespace coffer::cli {

// `coffer fernet genkey|encrypt|decrypt`: standard Fernet on stdin and stdout, interoperable
// with every Fernet library (man/coffer.1).
void add_fernet_command(CLI::App& app);

}  // namespace coffer::cli
