#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_support.hpp"

namespace coffer::cli {

// `coffer account delete` (man/coffer.1).
void add_account_delete_command(CLI::App& app, const GlobalOptions& global);

}  // namespace coffer::cli
