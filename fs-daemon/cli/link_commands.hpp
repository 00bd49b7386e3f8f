#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_support.hpp"

namespace coffer::cli {

// link PATH (through the running mount daemon, which holds the node's key), link list and
// link revoke (with the profile's login alone).
void add_link_commands(CLI::App& app, const GlobalOptions& global);

}  // namespace coffer::cli
