#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "client/api_client.hpp"
#include "profile/client_config.hpp"
#include "profile/login_store.hpp"
#include "profile/profile_paths.hpp"
#include "util/result.hpp"

namespace coffer::cli {

// Options every client command shares.
struct GlobalOptions {
  std::optional<std::string> profile;
};

// Prints "coffer COMMAND: message" on stderr and ends the command with `status`.
[[noreturn]] void fail(std::string_view command, std::string_view message, int status = 1);

template <class T>
T value_or_fail(std::string_view command, Result<T> result) {
  if (!result) fail(command, result.error().message);
  return std::move(result).value();
}

inline void check(std::string_view command, const Status& status) {
  if (!status) fail(command, status.error().message);
}

profile::ProfilePaths paths_of(const GlobalOptions& options);
profile::ClientConfig config_of(std::string_view command, const profile::ProfilePaths& paths);

// The HTTP client of a login's session: pinned to its certificate, with its token, telling
// `connectivity` (if any) of every answer.
std::shared_ptr<client::HttpClient> session_http(const profile::LoginInfo& login, const profile::ClientConfig& config,
                                                 std::shared_ptr<remote::Connectivity> connectivity = nullptr);
// A client for the server of a login over session_http().
std::shared_ptr<client::ApiClient> connect(const profile::LoginInfo& login, const profile::ClientConfig& config);
client::HttpOptions http_options(const std::string& server_url, const profile::ClientConfig& config);

std::string default_device_name();
// A UNIX time as this machine's local time, "YYYY-MM-DD HH:MM:SS" (`with_seconds` false: no ":SS").
std::string local_time(std::int64_t unix_seconds, bool with_seconds = true);

}  // namespace coffer::cli
