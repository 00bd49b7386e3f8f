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
// journal's blob files, the on-disk ciphertext cache, the server, each found by chunk id.
// Every stored chunk is verified before use (its MAC equals the one the manifest names, then
// Fernet verifies that MAC, then the plaintext length): one hash pass, no SHA-256. Bytes from
// the server are cached only once they passed, and a cached copy that fails is dropped and
// fetched again.
// Thread-safe; mutex_ is a leaf lock.
class ChunkReader {
 public:
  ChunkReader(remote::RemoteApi& remote, sync::Journal& journal, cache::ChunkCache& disk,
              cache::PlainChunkCache& memory, sync::WorkerPool& fetchers)
      : remote_(remote), journal_(journal), disk_(disk), memory_(memory), fetchers_(fetchers) {}

  // One load per chunk at a time: concurrent readers of a chunk being loaded wait for it.
  Result<std::shared_ptr<const ChunkBytes>> read(const crypto::FernetKey& key, const crypto::ChunkRef& chunk,
                                            std::size_t expected_length);
  struct Wanted {
    crypto::ChunkRef chunk;
    std::size_t length = 0;
  };
  // Loads chunks into memory on the fetch workers (readahead); returns at once.
  void prefetch(const crypto::FernetKey& key, const std::vector<Wanted>& chunks);
  // Keeps the plaintext of a chunk just encrypted here.
  void remember(const crypto::ChunkId& id, std::shared_ptr<const ChunkBytes> plaintext);
  // Deletes a chunk from both caches (a revoked share's, docs/client.md "Shared with me").
  void forget(const std::string& hex);

 private:
  Result<std::shared_ptr<const ChunkBytes>> load(const crypto::FernetKey& key, const crypto::ChunkRef& chunk,
                                            const std::string& hex, std::size_t expected_length);
  enum class Source { journal, cache, server };
  // A token from the server arrives as the HTTP body; one from a file is read into a
  // ChunkBytes (not zeroed first).
  struct Stored {
    Source source = Source::server;
    Bytes fetched;
    ChunkBytes read;
    ByteView bytes() const { return source == Source::server ? ByteView(fetched) : ByteView(read); }
  };
  Result<Stored> stored_bytes(const std::string& hex, bool skip_cache);

  remote::RemoteApi& remote_;
  sync::Journal& journal_;
  cache::ChunkCache& disk_;
  cache::PlainChunkCache& memory_;
  sync::WorkerPool& fetchers_;
  std::mutex mutex_;  // guards loading_
  std::unordered_map<std::string, std::shared_future<void>> loading_;
};

}  // namespace coffer::vfs
