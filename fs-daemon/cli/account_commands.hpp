#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_support.hpp"

namespace coffer::cli {

// `coffer login`, `logout`, `register`, `passwd` (man/coffer.1).
void add_account_commands(CLI::App& app, const GlobalOptions& global);

}  // namespace coffer::cli
