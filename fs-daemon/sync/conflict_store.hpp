#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "crypto/fernet.hpp"
#include "util/result.hpp"

namespace coffer::sync {

// One local edit the upload sender kept as a new file because the server had moved on
// (docs/client.md, "Conflicts").
struct ConflictRecord {
  std::uint64_t seq = 0;     // the journal op whose edit it keeps
  std::int64_t at = 0;       // Unix seconds of the conflict
  std::string kind;          // "edited": another device committed first; "deleted": the file was gone
  std::string node_id;       // the file the edit was for
  std::string copy_id;       // the new file holding the edit
  std::string folder_id;     // where the new file is
  std::string name;          // its name there
};

// The conflicts this profile's sender resolved, kept so that `coffer status` lists them with or
// without a daemon, and so that an op replayed after a crash finds the copy it already made
// instead of making a second one. Each is conflicts/<seq, 20 digits>: one raw Fernet token
// under the journal key of the record's JSON (names are plaintext, so never in the clear),
// written to a temporary file, fsynced and renamed, before the copy is sent. No lock: files are
// written whole and renamed into place.
class ConflictStore {
 public:
  ConflictStore(std::filesystem::path dir, crypto::FernetKey key) : dir_(std::move(dir)), key_(std::move(key)) {}

  Status prepare() const;
  // Durable when it returns.
  Status keep(const ConflictRecord& record) const;
  // The record of op `seq`, if one was kept (a record that does not open counts as none).
  std::optional<ConflictRecord> find(std::uint64_t seq) const;
  // Removes the record of an op whose copy could not be made after all (refused for good).
  void forget(std::uint64_t seq) const;
  std::size_t count() const;
  // The `limit` newest, newest first.
  std::vector<ConflictRecord> latest(std::size_t limit) const;

 private:
  std::vector<std::uint64_t> seqs() const;

  const std::filesystem::path dir_;
  const crypto::FernetKey key_;
};

}  // namespace coffer::sync
