#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "crypto/chunk_bytes.hpp"

namespace coffer::cache {

// Decrypted chunks in memory, bounded in bytes, least recently used out first, so a reader
// taking a chunk in many small pieces decrypts it once. Memory only: plaintext never reaches
// the disk. Thread-safe; mutex_ is a leaf lock.
class PlainChunkCache {
 public:
  explicit PlainChunkCache(std::uint64_t capacity) : capacity_(capacity) {}

  std::shared_ptr<const ChunkBytes> get(const std::string& id);
  void put(const std::string& id, std::shared_ptr<const ChunkBytes> plaintext);
  void remove(const std::string& id);

 private:
  struct Item {
    std::shared_ptr<const ChunkBytes> data;
    std::list<std::string>::iterator position;
  };

  const std::uint64_t capacity_;
  std::mutex mutex_;  // guards items_, order_, used_
  std::unordered_map<std::string, Item> items_;
  std::list<std::string> order_;  // front: most recently used
  std::uint64_t used_ = 0;
};

}  // namespace coffer::cache
