#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_support.hpp"

namespace coffer::cli {

// `coffer sessions` and `coffer sessions revoke ID|--all-others` (man/coffer.1).
void add_session_commands(CLI::App& app, const GlobalOptions& global);

}  // namespace coffer::cli
