// coffer-admin: administration of a Coffer server, on the server machine (man 8 coffer-admin).
#include <CLI/CLI.hpp>

#include "coffer/version.hpp"
#include "server/admin/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app("coffer-admin: manage a Coffer server's accounts, sessions, sharing grants and certificates. Works beside a "
               "running cofferd.",
               "coffer-admin");
  coffer::server::admin::AdminOptions options;
  app.add_option("--config", options.config_file, "cofferd's YAML configuration (for data_dir and defaults)")
      ->check(CLI::ExistingFile);
  app.add_option("--data", options.data_dir, "the server's data directory; overrides data_dir of the file");
  app.add_flag("--json", options.json, "print JSON for scripts instead of tables");
  app.set_version_flag("--version", std::string("coffer-admin ") + coffer::kVersion);
  app.require_subcommand(1);
  // Global options are accepted after the subcommand too (`coffer-admin user list --json`), as
  // git's and rclone's are: an option a subcommand does not know falls through to this level.
  // Subcommands inherit the setting, and one with an option of the same name (backup restore's
  // --data) keeps it for itself.
  app.fallthrough();
  coffer::server::admin::Action action;
  coffer::server::admin::add_user_commands(app, action);
  coffer::server::admin::add_session_commands(app, action);
  coffer::server::admin::add_share_commands(app, action);
  coffer::server::admin::add_server_commands(app, action);
  coffer::server::admin::add_backup_commands(app, action);
  coffer::server::admin::add_maintenance_commands(app, action);
  coffer::server::admin::add_retention_commands(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end here with 0; a wrong command line is 2, as for other tools.
    return app.exit(e) == 0 ? 0 : 2;
  }
  coffer::server::admin::AdminEnv env(options);
  return action(env);
}
