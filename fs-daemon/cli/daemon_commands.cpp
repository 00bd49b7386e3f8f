#include "cli/daemon_commands.hpp"

#include <filesystem>

namespace coffer::cli {

std::string mountpoint_of(const char* command, const profile::ProfilePaths& paths) {
  auto status = daemon_request(paths, "status", std::chrono::seconds(5));
  if (!status) fail(command, "no mount runs for this profile: start one with `coffer mount MOUNTPOINT`");
  return status->value("mountpoint", std::string());
}

std::string cloud_path(const std::string& mountpoint, const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path mount = fs::path(mountpoint).lexically_normal();
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec).lexically_normal();
  if (!ec) {
    fs::path inside = absolute.lexically_relative(mount);
    if (!inside.empty() && *inside.begin() != "..") {
      std::string rest = inside.generic_string();
      return rest == "." ? "/" : "/" + rest;
    }
  }
  std::string cloud = fs::path("/" + path).lexically_normal().generic_string();
  while (cloud.size() > 1 && cloud.back() == '/') cloud.pop_back();
  return cloud;
}

nlohmann::json ask_daemon(const char* command, const profile::ProfilePaths& paths, const nlohmann::json& request) {
  auto answer = daemon_request(paths, request.dump(), std::chrono::seconds(3600));
  if (!answer) fail(command, answer.error().message);
  if (answer->contains("error")) fail(command, answer->value("error", std::string()));
  return *answer;
}

}  // namespace coffer::cli
