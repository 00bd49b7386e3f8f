#pragma once

#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "cache/chunk_cache.hpp"
#include "cache/plain_chunk_cache.hpp"
#include "crypto/chunk.hpp"
#include "remote/remote_api.hpp"
#include "sync/journal.hpp"
#include "sync/worker_pool.hpp"

namespace coffer::vfs {

// Where a chunk's plaintext comes from, nearest first: decrypted chunks in memory, the
// journal's blob files, the on-disk ciphertext cache, the server. Every stored chunk is
// verified before use (SHA-256 of the stored bytes equals the id the manifest names, then the
// Fernet MAC, then the plaintext length); bytes from the server are cached only once their
// hash checks out. Thread-safe; mutex_ is a leaf lock.
class ChunkReader {
 public:
  ChunkReader(remote::RemoteApi& remote, sync::Journal& journal, cache::ChunkCache& disk,
              cache::PlainChunkCache& memory, sync::WorkerPool& fetchers)
      : remote_(remote), journal_(journal), disk_(disk), memory_(memory), fetchers_(fetchers) {}

  Result<std::shared_ptr<const Bytes>> read(const crypto::FernetKey& key, const crypto::ChunkId& id,
                                            std::size_t expected_length);
  // Starts fetching chunks' ciphertext into the disk cache (readahead); returns at once.
  void prefetch(const std::vector<crypto::ChunkId>& ids);
  // Keeps the plaintext of a chunk just encrypted here.
  void remember(const crypto::ChunkId& id, std::shared_ptr<const Bytes> plaintext);

 private:
  Result<Bytes> stored_bytes(const std::string& hex, const crypto::ChunkId& id);
  Result<Bytes> fetch_remote(const std::string& hex, const crypto::ChunkId& id);
  void wait_for_prefetch(const std::string& hex);

  remote::RemoteApi& remote_;
  sync::Journal& journal_;
  cache::ChunkCache& disk_;
  cache::PlainChunkCache& memory_;
  sync::WorkerPool& fetchers_;
  std::mutex mutex_;  // guards prefetching_
  std::unordered_map<std::string, std::shared_future<void>> prefetching_;
};

}  // namespace coffer::vfs
