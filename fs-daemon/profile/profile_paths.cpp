#include "profile/profile_paths.hpp"

#include <cstdlib>

namespace coffer::profile {
namespace {

std::optional<std::string> env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

}  // namespace

ProfilePaths resolve_profile(const std::optional<std::string>& flag) {
  if (flag && !flag->empty()) return ProfilePaths(std::filesystem::absolute(*flag));
  if (auto home = env("COFFER_HOME")) return ProfilePaths(std::filesystem::absolute(*home));
  // The daemon changes to / once mounted, so every path is made absolute here.
  if (auto data = env("XDG_DATA_HOME")) return ProfilePaths(std::filesystem::absolute(*data) / "coffer");
  std::filesystem::path home = std::filesystem::absolute(env("HOME").value_or("/root"));
  return ProfilePaths(home / ".local" / "share" / "coffer");
}

}  // namespace coffer::profile
