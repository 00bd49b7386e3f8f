#pragma once

#include <CLI/CLI.hpp>

#include "server/admin/admin_env.hpp"

namespace coffer::server::admin {

// Each registers its subcommands on `app`; the one the user picks stores its Action in `action`.
void add_user_commands(CLI::App& app, Action& action);
void add_session_commands(CLI::App& app, Action& action);
void add_server_commands(CLI::App& app, Action& action);
void add_backup_commands(CLI::App& app, Action& action);
void add_maintenance_commands(CLI::App& app, Action& action);
void add_retention_commands(CLI::App& app, Action& action);
void add_share_commands(CLI::App& app, Action& action);

}  // namespace coffer::server::admin
