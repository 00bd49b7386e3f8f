#pragma once

#include <CLI/CLI.hpp>

#include "cli/cli_support.hpp"

namespace coffer::cli {

// share, unshare, shares (through the running mount daemon, which holds the tree and keys),
// whois and trust (with the profile's login alone).
void add_share_commands(CLI::App& app, const GlobalOptions& global);

}  // namespace coffer::cli
