#pragma once

#include <functional>
#include <memory>
#include <string>

#include "server/daemon/data_dir.hpp"
#include "server/service/services.hpp"

namespace coffer::server::admin {

struct AdminOptions {
  std::string config_file;
  std::string data_dir;
  bool json = false;
};

// What a coffer-admin command works on: the server's configuration and data directory, opened
// on first use (tls init needs neither), beside a running cofferd if there is one.
class AdminEnv {
 public:
  explicit AdminEnv(AdminOptions options) : options_(std::move(options)) {}
  const AdminOptions& options() const { return options_; }
  Result<const ServerConfig*> config();
  Result<service::Services*> services();
  // The data directory itself (backups read its files beside a running cofferd).
  Result<daemon::DataDir*> data();
  // The person at the keyboard, for the audit log.
  service::Actor actor() const;

 private:
  AdminOptions options_;
  std::unique_ptr<ServerConfig> config_;
  std::unique_ptr<daemon::DataDir> data_;
  std::unique_ptr<service::Services> services_;
};

// A parsed command, run once the whole command line is known; returns the exit code.
using Action = std::function<int(AdminEnv&)>;

// Reports an error the way every command does ("coffer-admin: MESSAGE") and returns 1.
int fail(const Error& error);

}  // namespace coffer::server::admin
