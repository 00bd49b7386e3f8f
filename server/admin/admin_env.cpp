#include "server/admin/admin_env.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace coffer::server::admin {

Result<const ServerConfig*> AdminEnv::config() {
  if (config_) return config_.get();
  std::optional<std::filesystem::path> file;
  if (!options_.config_file.empty()) file = options_.config_file;
  auto loaded = load_server_config(file);
  if (!loaded) return loaded.error();
  if (!options_.data_dir.empty()) loaded->data_dir = options_.data_dir;
  if (loaded->data_dir.empty()) {
    return make_error(Errc::invalid_argument, "no data directory: give --data DIR or a --config with data_dir");
  }
  config_ = std::make_unique<ServerConfig>(std::move(*loaded));
  return config_.get();
}

Result<daemon::DataDir*> AdminEnv::data() {
  if (data_) return data_.get();
  auto loaded = config();
  if (!loaded) return loaded.error();
  auto data = daemon::DataDir::open((*loaded)->data_dir, daemon::DataDir::Role::admin, 2);
  if (!data) return data.error();
  data_ = std::move(*data);
  return data_.get();
}

Result<service::Services*> AdminEnv::services() {
  if (services_) return services_.get();
  auto data = this->data();
  if (!data) return data.error();
  services_ = std::make_unique<service::Services>((*data)->metadata(), (*data)->blobs(), **config());
  return services_.get();
}

service::Actor AdminEnv::actor() const {
  const char* user = std::getenv("USER");
  return service::Actor{std::string("coffer-admin (") + (user != nullptr ? user : std::to_string(getuid())) + ")", "local"};
}

int fail(const Error& error) {
  std::cerr << "coffer-admin: " << error.message << "\n";
  return 1;
}

}  // namespace coffer::server::admin
