#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "crypto/chunk_bytes.hpp"
#include "crypto/fernet.hpp"
#include "sync/journal_format.hpp"
#include "sync/journal_op.hpp"
#include "sync/mapped_blob.hpp"
#include "sync/conflict_store.hpp"
#include "sync/set_aside.hpp"
#include "util/result.hpp"

namespace coffer::sync {

// The crash-safe local journal (docs/client.md "Journal"):
//   ops.log      a header naming the journal format, then records [20-byte header][raw Fernet
//                token of one JournalOp under the journal key] (sync/journal_format.hpp)
//   acked        the highest sequence number the server has acknowledged
//   blobs/<id>   raw chunk tokens (ciphertext under file keys) not yet known to be on the server
//   damaged/     bytes of ops.log that did not open, copied out before the log was cut
//   set-aside/   ops the upload queue took out of its way (sync/set_aside.hpp)
//   conflicts/   local edits kept as new files because the server had moved on (sync/conflict_store.hpp)
// At open, a record that does not open is reported and skipped and the records after it are
// replayed; a torn tail is cut off. An appended record survives a crash of the daemon at once
// (it is in the kernel), and a crash of the machine once sync() or flush() has returned.
// Thread-safe; mutex_ is a leaf lock.
class Journal {
 public:
  static Result<std::unique_ptr<Journal>> open(const std::filesystem::path& dir, const crypto::FernetKey& key);
  ~Journal();

  // The records found at open() and not yet acknowledged, in order (moved out once).
  std::vector<JournalOp> take_replayed();

  Result<std::uint64_t> append(OpBody body);
  Status sync(std::uint64_t seq);
  // Makes everything written so far durable: blob files written without `durable`, then the log.
  Status flush();
  Status acknowledge(std::uint64_t seq);
  // Rewrites ops.log without the records of `seqs` (a revoked share's ops): a new log with the
  // other unacknowledged records, fsynced and renamed over the old one.
  Status drop(const std::set<std::uint64_t>& seqs);
  std::uint64_t last_seq() const;
  std::uint64_t acked_seq() const;

  Status write_blob(const std::string& id, ByteView data, bool durable);
  Result<ChunkBytes> read_blob(const std::string& id) const;
  Result<MappedBlob> map_blob(const std::string& id) const { return MappedBlob::open(blob_path(id)); }
  bool has_blob(const std::string& id) const;
  std::filesystem::path blob_path(const std::string& id) const { return dir_ / "blobs" / id; }
  void remove_blob(const std::string& id);
  std::vector<std::string> list_blobs() const;

  // Keeps an op out of the queue's way with its blob files; durable when it returns.
  Status set_aside(const JournalOp& op, const std::string& cause) const {
    return set_aside_.keep(op, cause, dir_ / "blobs");
  }
  const SetAsideStore& set_aside_store() const { return set_aside_; }
  const ConflictStore& conflict_store() const { return conflicts_; }
  // Files in damaged/: runs of ops.log bytes that did not open, kept until the user removes them.
  std::size_t damaged_count() const;
  std::filesystem::path damaged_dir() const { return dir_ / "damaged"; }

 private:
  Journal(std::filesystem::path dir, crypto::FernetKey key)
      : dir_(std::move(dir)),
        key_(std::move(key)),
        set_aside_(dir_ / "set-aside", key_),
        conflicts_(dir_ / "conflicts", key_) {}
  Status create_log() const;
  Status load();
  Status load_records(ByteView log);
  Status keep_damaged(ByteView log, const LogSpan& span, const char* what) const;
  Status write_acked(std::uint64_t seq);
  Status sync_blob_dir() const;

  const std::filesystem::path dir_;
  const crypto::FernetKey key_;
  const SetAsideStore set_aside_;
  const ConflictStore conflicts_;
  int log_fd_ = -1;
  int acked_fd_ = -1;
  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable synced_cv_;
  std::uint64_t last_seq_ = 0;
  std::uint64_t acked_seq_ = 0;
  std::uint64_t synced_seq_ = 0;
  std::uint64_t log_size_ = 0;  // where the next record goes
  bool syncing_ = false;
  std::vector<JournalOp> replayed_;
  std::vector<std::string> unsynced_blobs_;
};

}  // namespace coffer::sync
