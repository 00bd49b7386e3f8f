#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "server/backup/progress.hpp"
#include "server/storage/local/local_blob_store.hpp"

namespace coffer::server::fsck {

struct CheckReport {
  std::vector<std::string> problems;  // what is wrong and was not repaired, one line each
  std::vector<std::string> repaired;  // what --repair changed, one line each
  std::vector<std::string> notes;     // not wrong: space gc will reclaim
  std::uint64_t blobs = 0;            // blob rows checked, and their bytes
  std::uint64_t bytes = 0;
};

// coffer-admin fsck: checks a data directory beside a running cofferd.
//
// - SQLite's integrity_check and foreign_key_check (no row refers to a missing one);
// - every user's root folder exists, is a folder and is theirs;
// - every entry's parent is a folder of the same owner as the entry's node;
// - every node outside the trash has an entry (or is a root); every node marked trashed has
//   its trash row and no entry;
// - every node's current version has its row, with the node's size; every version's chunk
//   count equals its chunk list;
// - every user's `used` equals what their rows count (docs/server.md, "Quota");
// - every blob row's file exists with the row's size and bytes that hash to its id.
//
// Notes, not problems: blob files no row names and blob rows nothing refers to (gc's work).
// With `repair`, only what loses nothing is changed: a usage is set to what the rows count
// (when that does not raise it above the user's quota, which the quota guard refuses), and a
// blob row whose file is gone and that nothing refers to is deleted. Everything else is
// reported for a person to decide.
Result<CheckReport> check_data_dir(const std::filesystem::path& database, storage::LocalBlobStore& blobs, bool repair,
                                   const backup::ProgressSink& progress);

}  // namespace coffer::server::fsck
