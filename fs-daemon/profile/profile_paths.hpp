#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace coffer::profile {

// Everything of one login lives in one folder: login and keys, configuration, journal,
// caches (chunks and metadata), the rollback guard's state, the daemon's log, pid and control socket.
class ProfilePaths {
 public:
  explicit ProfilePaths(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path login_file() const { return root_ / "login.json"; }
  std::filesystem::path config_file() const { return root_ / "coffer.yaml"; }
  std::filesystem::path journal_dir() const { return root_ / "journal"; }
  std::filesystem::path cache_dir() const { return root_ / "cache"; }
  std::filesystem::path state_db() const { return root_ / "state.db"; }
  std::filesystem::path metadata_db() const { return root_ / "metadata.db"; }
  std::filesystem::path known_keys_file() const { return root_ / "known_keys.json"; }
  std::filesystem::path log_file() const { return root_ / "coffer.log"; }
  std::filesystem::path control_socket() const { return root_ / "control.sock"; }

 private:
  std::filesystem::path root_;
};

// --profile DIR, else $COFFER_HOME, else $XDG_DATA_HOME/coffer, else ~/.local/share/coffer.
ProfilePaths resolve_profile(const std::optional<std::string>& flag);

}  // namespace coffer::profile
