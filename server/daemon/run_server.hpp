#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace coffer::server::daemon {

struct ServerOptions {
  std::optional<std::filesystem::path> config_file;
  std::optional<std::filesystem::path> data_dir;  // overrides data_dir of the file
  std::optional<std::string> listen;              // overrides listen of the file
  std::optional<std::filesystem::path> web_root;  // overrides web_root of the file
  bool check_only = false;                        // check the configuration, then exit
};

// Runs cofferd until SIGTERM or SIGINT: loads and checks the configuration, opens the data
// directory, serves, and on the signal lets requests in flight finish and closes the
// database. SIGHUP re-reads the configuration file and applies its log_level (the one option
// that can change under running requests); the rest apply at the next start. Returns the
// process exit code (0 after a clean stop or a good check, 1 when it cannot start).
int run_server(const ServerOptions& options);

}  // namespace coffer::server::daemon
