#include "cli/cli_support.hpp"

#include <unistd.h>

#include <ctime>
#include <iostream>

namespace coffer::cli {

void fail(std::string_view command, std::string_view message, int status) {
  std::cerr << "coffer " << command << ": " << message << '\n';
  throw CLI::RuntimeError(status);
}

profile::ProfilePaths paths_of(const GlobalOptions& options) { return profile::resolve_profile(options.profile); }

profile::ClientConfig config_of(std::string_view command, const profile::ProfilePaths& paths) {
  return value_or_fail(command, profile::load_client_config(paths));
}

client::HttpOptions http_options(const std::string& server_url, const profile::ClientConfig& config) {
  client::HttpOptions options;
  options.base_url = server_url;
  options.connect_timeout = std::chrono::duration_cast<std::chrono::milliseconds>(config.connect_timeout);
  options.stall_timeout = config.stall_timeout;
  options.retry.max_attempts = static_cast<int>(config.retries);
  return options;
}

std::shared_ptr<client::HttpClient> session_http(const profile::LoginInfo& login, const profile::ClientConfig& config,
                                                 std::shared_ptr<remote::Connectivity> connectivity) {
  auto options = http_options(login.server_url, config);
  options.pinned_fingerprint = login.tls_fingerprint;
  options.connectivity = std::move(connectivity);
  auto http = std::make_shared<client::HttpClient>(options);
  http->set_bearer_token(login.token);
  return http;
}

std::shared_ptr<client::ApiClient> connect(const profile::LoginInfo& login, const profile::ClientConfig& config) {
  return std::make_shared<client::ApiClient>(session_http(login, config));
}

std::string default_device_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "device";
  return host;
}

std::string local_time(std::int64_t unix_seconds, bool with_seconds) {
  const std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  ::localtime_r(&time, &parts);
  char text[32] = {};
  std::strftime(text, sizeof text, with_seconds ? "%Y-%m-%d %H:%M:%S" : "%Y-%m-%d %H:%M", &parts);
  return text;
}

}  // namespace coffer::cli
