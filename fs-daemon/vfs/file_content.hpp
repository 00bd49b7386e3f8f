#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "crypto/chunk.hpp"
#include "remote/types.hpp"
#include "sync/journal.hpp"
#include "sync/worker_pool.hpp"
#include "vfs/chunk_reader.hpp"

namespace coffer::vfs {

// What every file's content shares within one mount.
struct ContentServices {
  ChunkReader& reader;
  sync::Journal& journal;
  sync::WorkerPool& encryptors;
  bool durable_blobs = true;          // fdatasync each blob file as it is written
  std::size_t max_dirty_chunks = 64;  // plaintext chunks held in memory per file
  std::size_t max_in_flight = 8;      // chunks being encrypted per file before a writer waits
  std::size_t readahead = 4;          // chunks fetched ahead of a sequential reader
};

using ChunkList = std::vector<std::optional<crypto::ChunkRef>>;  // nullopt: a hole

enum class SeekTarget { data, hole };

// A committed version's content (empty for a new file).
struct BaseContent {
  std::uint64_t size = 0;
  std::uint32_t chunk_size = crypto::kDefaultChunkSize;
  ChunkList chunks;
};

// What a commit op needs: every chunk (or hole) in order, the ciphertext of small files inline,
// and how many bytes the stored chunks occupy in 4 KiB data blocks (what st_blocks reports).
struct CommitContent {
  std::uint64_t size = 0;
  std::uint32_t chunk_size = 0;
  ChunkList chunks;
  std::vector<remote::InlineBlob> inline_blobs;
  std::uint64_t stored_bytes = 0;
};

// One file's bytes: the chunk list of its base version, chunks written since (plaintext in
// memory until full, then encrypted on worker threads into journal blob files), and holes
// that read as zeros. A chunk that was never written, or whose bytes are all zeros when it is
// encrypted, is a hole: nothing is encrypted, stored or uploaded for it.
// Invariant: a stored chunk's plaintext length equals the part of the file it covers.
// Lock order: Vfs tree mutex -> mutex_ -> ChunkReader/Journal leaf locks, and writing_ ->
// mutex_. writing_ is held across the read of a stored chunk (a write into part of it), so it
// is never taken while the tree mutex is held; mutex_ is never held across such a read.
class FileContent : public std::enable_shared_from_this<FileContent> {
 public:
  FileContent(ContentServices& services, crypto::FernetKey key, BaseContent base);
  ~FileContent();

  Result<std::size_t> read(std::uint64_t offset, std::span<std::uint8_t> out);
  Status write(std::uint64_t offset, ByteView data);
  Status truncate(std::uint64_t size);
  std::uint64_t size() const;
  // Bytes in the 4 KiB blocks that hold data, in stored chunks and in chunks written since;
  // holes and blocks of zeros count nothing (as ext4 counts a sparse file).
  std::uint64_t stored_bytes() const;
  bool dirty() const;
  // The first offset at or after `offset` in data or in a hole, chunk by chunk (a chunk written
  // since the last commit is data); the end of the file counts as a hole. Errc::past_end at or
  // past the end, or when no data follows.
  Result<std::uint64_t> seek(std::uint64_t offset, SeekTarget target) const;
  // Encrypts what is still in memory, waits for the workers and describes the content for a
  // commit (files up to `inline_limit` bytes carry their new chunks inline, with no blob
  // file). Afterwards the content counts as clean.
  Result<CommitContent> prepare_commit(std::uint64_t inline_limit);

 private:
  struct Dirty {
    ChunkBytes data;
    std::uint64_t stamp = 0;
  };
  struct InFlight {
    std::shared_ptr<const ChunkBytes> data;
    std::uint64_t stamp = 0;
  };

  std::size_t covered(std::uint64_t index) const;
  Result<ChunkBytes*> dirty_chunk(std::uint64_t index, std::unique_lock<std::mutex>& lock);
  void replace_chunk(std::uint64_t index, ByteView bytes);
  Status resize_locked(std::uint64_t new_size, std::unique_lock<std::mutex>& lock);
  void spill_locked(std::uint64_t index);
  void finish_spill(std::uint64_t index, std::uint64_t stamp, const std::optional<crypto::EncryptedChunk>& chunk,
                    Status written);
  void set_chunk_locked(std::uint64_t index, std::optional<crypto::ChunkRef> chunk);
  void limit_memory_locked(std::unique_lock<std::mutex>& lock);
  Status store_locked(std::uint64_t index, const std::optional<crypto::EncryptedChunk>& chunk, bool inline_data,
                      CommitContent& commit);
  std::uint64_t stored_bytes_locked() const;
  bool holds_data_locked(std::uint64_t index) const;
  void prefetch_after_locked(std::uint64_t index);

  ContentServices& services_;
  const crypto::FernetKey key_;
  const std::uint32_t chunk_size_;
  std::mutex writing_;        // writers and truncates take turns, across a base chunk's read
  mutable std::mutex mutex_;  // guards everything below
  std::condition_variable spilled_;
  std::uint64_t size_ = 0;
  ChunkList chunks_;
  std::map<std::uint64_t, Dirty> dirty_;
  std::map<std::uint64_t, InFlight> in_flight_;
  std::set<std::string> fresh_blobs_;  // blob files written since the last commit
  std::optional<Error> spill_error_;
  std::uint64_t stamp_ = 0;
  std::uint64_t next_sequential_ = 0;
  bool changed_ = false;
};

}  // namespace coffer::vfs
