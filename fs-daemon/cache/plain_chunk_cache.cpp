#include "cache/plain_chunk_cache.hpp"

namespace coffer::cache {

std::shared_ptr<const ChunkBytes> PlainChunkCache::get(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = items_.find(id);
  if (it == items_.end()) return nullptr;
  order_.splice(order_.begin(), order_, it->second.position);
  return it->second.data;
}

void PlainChunkCache::put(const std::string& id, std::shared_ptr<const ChunkBytes> plaintext) {
  std::lock_guard lock(mutex_);
  if (items_.contains(id) || plaintext->size() > capacity_) return;
  order_.push_front(id);
  used_ += plaintext->size();
  items_[id] = Item{std::move(plaintext), order_.begin()};
  while (used_ > capacity_) {
    auto victim = items_.find(order_.back());
    used_ -= victim->second.data->size();
    items_.erase(victim);
    order_.pop_back();
  }
}

void PlainChunkCache::remove(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = items_.find(id);
  if (it == items_.end()) return;
  used_ -= it->second.data->size();
  order_.erase(it->second.position);
  items_.erase(it);
}

}  // namespace coffer::cache
