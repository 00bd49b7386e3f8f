#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "util/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace coffer::cache {

// The rollback guard (DESIGN.md section 1): the highest content version, attribute revision
// and (folders) revision of the entry set this profile has seen of every node, kept in
// state.db across restarts. Offering
// an older one as current is tampering: Errc::integrity. Thread-safe; mutex_ is a leaf lock.
class VersionGuard {
 public:
  static Result<std::unique_ptr<VersionGuard>> open(const std::filesystem::path& db_path);
  ~VersionGuard();

  // Errc::integrity when `version` is below the highest seen; otherwise remembers it.
  Status check_version(const std::string& node_id, std::uint64_t version);
  Status check_revision(const std::string& node_id, std::uint64_t revision);
  Status check_folder_revision(const std::string& node_id, std::uint64_t revision);
  // Remembers the revisions of folders this device itself wrote, in one transaction (the
  // upload sender changes many folders per request).
  void saw_folder_revisions(const std::vector<std::pair<std::string, std::uint64_t>>& revisions);
  std::uint64_t seen_version(const std::string& node_id);
  std::uint64_t seen_folder_revision(const std::string& node_id);

 private:
  struct Seen {
    std::uint64_t version = 0;
    std::uint64_t revision = 0;
    std::uint64_t folder_revision = 0;
  };
  VersionGuard() = default;
  Seen load_locked(const std::string& node_id);
  Status check_locked(const std::string& node_id, std::uint64_t offered, std::uint64_t Seen::*field, const char* what);
  void store_locked(const std::string& node_id, const Seen& seen);

  std::mutex mutex_;  // guards db_, statements and memo_
  sqlite3* db_ = nullptr;
  sqlite3_stmt* select_ = nullptr;
  sqlite3_stmt* upsert_ = nullptr;
  std::unordered_map<std::string, Seen> memo_;
};

}  // namespace coffer::cache
