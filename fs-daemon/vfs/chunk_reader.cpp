#include "vfs/chunk_reader.hpp"

#include <spdlog/spdlog.h>

namespace coffer::vfs {

void ChunkReader::remember(const crypto::ChunkId& id, std::shared_ptr<const Bytes> plaintext) {
  memory_.put(id.hex(), std::move(plaintext));
}

Result<std::shared_ptr<const Bytes>> ChunkReader::read(const crypto::FernetKey& key, const crypto::ChunkId& id,
                                                       std::size_t expected_length) {
  const std::string hex = id.hex();
  if (auto plain = memory_.get(hex); plain && plain->size() == expected_length) return plain;
  wait_for_prefetch(hex);
  auto stored = stored_bytes(hex, id);
  if (!stored) return std::move(stored).error();
  auto plain = crypto::decrypt_chunk(key, id, *stored);
  if (!plain) {
    spdlog::error("chunk {}: {} (tampered data refused)", hex, plain.error().message);
    return make_error(Errc::integrity, "chunk " + hex + ": " + plain.error().message);
  }
  if (plain->size() != expected_length) {
    spdlog::error("chunk {}: {} plaintext bytes where the manifest needs {}", hex, plain->size(), expected_length);
    return make_error(Errc::integrity, "chunk " + hex + " has the wrong length");
  }
  auto shared = std::make_shared<const Bytes>(std::move(plain).value());
  memory_.put(hex, shared);
  return shared;
}

Result<Bytes> ChunkReader::stored_bytes(const std::string& hex, const crypto::ChunkId& id) {
  if (auto journaled = journal_.read_blob(hex)) return journaled;
  if (auto cached = disk_.get(hex)) {
    if (crypto::ChunkId::of(*cached) == id) return std::move(cached).value();
    spdlog::warn("chunk {}: the cached copy is damaged; fetching it again", hex);
  }
  return fetch_remote(hex, id);
}

Result<Bytes> ChunkReader::fetch_remote(const std::string& hex, const crypto::ChunkId& id) {
  auto fetched = remote_.get_blob(hex);
  if (!fetched) return std::move(fetched).error();
  if (!(crypto::ChunkId::of(*fetched) == id)) {
    spdlog::error("chunk {}: the server's bytes do not hash to the id in the manifest (tampered data refused)", hex);
    return make_error(Errc::integrity, "chunk " + hex + ": the stored bytes do not match their id");
  }
  disk_.put(hex, *fetched);
  return fetched;
}

void ChunkReader::wait_for_prefetch(const std::string& hex) {
  std::shared_future<void> pending;
  {
    std::lock_guard lock(mutex_);
    auto it = prefetching_.find(hex);
    if (it == prefetching_.end()) return;
    pending = it->second;
  }
  pending.wait();
}

void ChunkReader::prefetch(const std::vector<crypto::ChunkId>& ids) {
  for (const auto& id : ids) {
    std::string hex = id.hex();
    if (memory_.get(hex) || disk_.contains(hex) || journal_.has_blob(hex)) continue;
    auto promise = std::make_shared<std::promise<void>>();
    {
      std::lock_guard lock(mutex_);
      if (prefetching_.contains(hex)) continue;
      prefetching_.emplace(hex, promise->get_future().share());
    }
    fetchers_.post([this, hex, id, promise] {
      (void)fetch_remote(hex, id);
      std::lock_guard lock(mutex_);
      prefetching_.erase(hex);
      promise->set_value();
    });
  }
}

}  // namespace coffer::vfs
