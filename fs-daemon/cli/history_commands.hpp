#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_support.hpp"

namespace coffer::cli {

// versions, restore, ls, trash list|restore|empty: through the running mount daemon.
void add_history_commands(CLI::App& app, const GlobalOptions& global);

}  // namespace coffer::cli
