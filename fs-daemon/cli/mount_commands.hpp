#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_support.hpp"

namespace coffer::cli {

// `coffer mount`, `unmount`, `status`, `sync` (man/coffer.1).
void add_mount_commands(CLI::App& app, const GlobalOptions& global);

}  // namespace coffer::cli
