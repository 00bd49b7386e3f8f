#pragma once

#include <cstdint>
#include <filesystem>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "crypto/chunk_bytes.hpp"
#include "util/result.hpp"

namespace coffer::cache {

// The on-disk cache of chunk ciphertext, bounded in bytes, least recently used out first.
// Files are named by chunk id under two levels of fan-out (cache/ab/abcdef...); only raw
// Fernet tokens are stored, so the cache holds no plaintext. The recency order lives in
// memory and is rebuilt from file modification times when the cache is opened.
// Thread-safe; mutex_ is a leaf lock (never held while calling out).
class ChunkCache {
 public:
  static Result<std::unique_ptr<ChunkCache>> open(const std::filesystem::path& dir, std::uint64_t capacity);

  std::optional<ChunkBytes> get(const std::string& id);
  void put(const std::string& id, ByteView data);
  // Moves a file that holds a chunk (a journal blob once uploaded) into the cache.
  void adopt(const std::string& id, const std::filesystem::path& file);
  bool contains(const std::string& id) const;
  void remove(const std::string& id);

  std::uint64_t used_bytes() const;
  std::uint64_t capacity() const { return capacity_; }

 private:
  struct Item {
    std::uint64_t size = 0;
    std::list<std::string>::iterator position;
  };

  ChunkCache(std::filesystem::path dir, std::uint64_t capacity) : dir_(std::move(dir)), capacity_(capacity) {}
  std::filesystem::path path_of(const std::string& id) const;
  void insert_locked(const std::string& id, std::uint64_t size);
  void evict_locked();
  void scan();

  const std::filesystem::path dir_;
  const std::uint64_t capacity_;
  mutable std::mutex mutex_;  // guards items_, order_, used_
  std::unordered_map<std::string, Item> items_;
  std::list<std::string> order_;  // front: most recently used
  std::uint64_t used_ = 0;
};

}  // namespace coffer::cache
