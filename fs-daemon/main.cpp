#include <sys/stat.h>

#include <CLI/CLI.hpp>

#include <string>

#include "cli/account_commands.hpp"
#include "cli/account_delete_command.hpp"
#include "cli/cli_support.hpp"
#include "cli/fernet_command.hpp"
#include "cli/history_commands.hpp"
#include "cli/link_commands.hpp"
#include "cli/mount_commands.hpp"
#include "cli/session_commands.hpp"
#include "cli/share_commands.hpp"
#include "coffer/version.hpp"
#include "log/logging.hpp"

// Each command group registers itself; a failing command reports on stderr and throws
// CLI::RuntimeError with its exit status, which app.exit() returns without printing more.
int main(int argc, char** argv) {
  // Everything this process creates is profile state (log, state database, journal, cache):
  // the user's alone. Files made inside the mount take the modes their creators ask for.
  ::umask(077);
  // Commands print their results on stdout; warnings from the work they do go to stderr.
  coffer::log::init("coffer", "warn");
  CLI::App app{"coffer: mount your Coffer cloud as a folder; every byte is encrypted here"};
  app.set_version_flag("--version", std::string("coffer ") + coffer::kVersion);
  app.require_subcommand(1);
  // Global options are accepted after the command too (`coffer status --profile P`), as git's
  // and rclone's are: an option a command does not know falls through to this level.
  // Commands inherit the setting from here.
  app.fallthrough();

  coffer::cli::GlobalOptions global;
  app.add_option("--profile", global.profile,
                 "Profile folder with the login, keys, cache and journal (default: $COFFER_HOME, else "
                 "$XDG_DATA_HOME/coffer)");

  coffer::cli::add_account_commands(app, global);
  coffer::cli::add_session_commands(app, global);
  coffer::cli::add_account_delete_command(app, global);
  coffer::cli::add_mount_commands(app, global);
  coffer::cli::add_history_commands(app, global);
  coffer::cli::add_share_commands(app, global);
  coffer::cli::add_link_commands(app, global);
  coffer::cli::add_fernet_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    // A command's own failure: its status as it chose it (CLI11 derives this from ParseError).
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    // --help and --version end here with 0; a wrong command line is 2, as for cofferd and
    // coffer-admin (CLI11's own codes would be 105 to 115).
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const CLI::Error& e) {
    return app.exit(e);
  }
  return 0;
}
