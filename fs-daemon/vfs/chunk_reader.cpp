#include "vfs/chunk_reader.hpp"

#include <spdlog/spdlog.h>

namespace coffer::vfs {

void ChunkReader::remember(const crypto::ChunkId& id, std::shared_ptr<const ChunkBytes> plaintext) {
  memory_.put(id.hex(), std::move(plaintext));
}

void ChunkReader::forget(const std::string& hex) {
  memory_.remove(hex);
  disk_.remove(hex);
}

Result<std::shared_ptr<const ChunkBytes>> ChunkReader::read(const crypto::FernetKey& key, const crypto::ChunkRef& chunk,
                                                       std::size_t expected_length) {
  const std::string hex = chunk.id.hex();
  for (;;) {
    if (auto plain = memory_.get(hex); plain && plain->size() == expected_length) return plain;
    std::promise<void> done;
    {
      std::unique_lock lock(mutex_);
      auto it = loading_.find(hex);
      if (it != loading_.end()) {
        auto pending = it->second;
        lock.unlock();
        pending.wait();
        continue;  // loaded by the other reader (or failed: then try here)
      }
      loading_.emplace(hex, done.get_future().share());
    }
    auto loaded = load(key, chunk, hex, expected_length);
    {
      std::lock_guard lock(mutex_);
      loading_.erase(hex);
    }
    done.set_value();
    return loaded;
  }
}

Result<std::shared_ptr<const ChunkBytes>> ChunkReader::load(const crypto::FernetKey& key, const crypto::ChunkRef& chunk,
                                                       const std::string& hex, std::size_t expected_length) {
  auto stored = stored_bytes(hex, false);
  if (!stored) return std::move(stored).error();
  auto plain = crypto::decrypt_chunk(key, chunk.mac, stored->bytes());
  if (!plain && stored->source == Source::cache) {
    spdlog::warn("chunk {}: the cached copy is damaged; fetching it again", hex);
    disk_.remove(hex);
    stored = stored_bytes(hex, true);
    if (!stored) return std::move(stored).error();
    plain = crypto::decrypt_chunk(key, chunk.mac, stored->bytes());
  }
  if (plain && stored->source == Source::server) disk_.put(hex, stored->bytes());
  if (!plain) {
    spdlog::error("chunk {}: {} (tampered data refused)", hex, plain.error().message);
    return make_error(Errc::integrity, "chunk " + hex + ": " + plain.error().message);
  }
  if (plain->size() != expected_length) {
    spdlog::error("chunk {}: {} plaintext bytes where the manifest needs {}", hex, plain->size(), expected_length);
    return make_error(Errc::integrity, "chunk " + hex + " has the wrong length");
  }
  auto shared = std::make_shared<const ChunkBytes>(std::move(plain).value());
  memory_.put(hex, shared);
  return shared;
}

Result<ChunkReader::Stored> ChunkReader::stored_bytes(const std::string& hex, bool skip_cache) {
  if (auto journaled = journal_.read_blob(hex)) return Stored{Source::journal, {}, std::move(journaled).value()};
  if (!skip_cache) {
    if (auto cached = disk_.get(hex)) return Stored{Source::cache, {}, std::move(cached).value()};
  }
  auto fetched = remote_.get_blob(hex);
  if (!fetched) return std::move(fetched).error();
  return Stored{Source::server, std::move(fetched).value(), {}};
}

void ChunkReader::prefetch(const crypto::FernetKey& key, const std::vector<Wanted>& chunks) {
  for (const auto& wanted : chunks) {
    std::string hex = wanted.chunk.id.hex();
    if (memory_.get(hex)) continue;
    {
      std::lock_guard lock(mutex_);
      if (loading_.contains(hex)) continue;
    }
    fetchers_.post([this, key, wanted] { (void)read(key, wanted.chunk, wanted.length); });
  }
}

}  // namespace coffer::vfs
