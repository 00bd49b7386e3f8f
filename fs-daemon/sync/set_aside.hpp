#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "crypto/fernet.hpp"
#include "sync/journal_op.hpp"
#include "util/result.hpp"

namespace coffer::sync {

struct SetAsideEntry {
  std::uint64_t seq = 0;
  std::int64_t at = 0;  // Unix seconds
  std::string op;       // op_name()
  std::string node_id;
  std::string cause;
};

// Ops taken out of the upload queue's way (docs/client.md, "Set-aside ops"): the server refused
// them for good, or sending them threw. Each is kept as set-aside/<seq, 20 digits>: one raw
// Fernet token under the journal key of the JSON {"seq", "at", "op", "node", "cause", "record"
// (the op's journal record)}; the blob files a commit names are hard-linked into
// set-aside/blobs/, so its content stays too. Nothing sends them again by itself. Files are
// written whole and renamed into place, so no lock is needed.
class SetAsideStore {
 public:
  SetAsideStore(std::filesystem::path dir, crypto::FernetKey key) : dir_(std::move(dir)), key_(std::move(key)) {}

  Status prepare() const;
  // Durable when it returns, so the op may be acknowledged in the journal after it.
  Status keep(const JournalOp& op, const std::string& cause, const std::filesystem::path& blob_dir) const;
  // Removes a kept op and the blob files it named (a revoked share's: nothing of it may stay).
  void forget(const JournalOp& op) const;
  std::size_t count() const;
  // The `limit` highest seqs, newest first; a file that does not open is listed as such.
  std::vector<SetAsideEntry> latest(std::size_t limit) const;
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::vector<std::uint64_t> seqs() const;
  SetAsideEntry read(std::uint64_t seq) const;

  const std::filesystem::path dir_;
  const crypto::FernetKey key_;
};

}  // namespace coffer::sync
