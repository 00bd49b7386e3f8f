#include "server/storage/local/staging_buffer.hpp"

#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

namespace coffer::server::storage {
namespace {

// As many buffers as uploads ran at once stay pooled; more than this many idle are freed.
constexpr std::size_t kMaxIdle = 16;

std::mutex pool_mutex;
std::vector<std::uint8_t*>& idle_buffers() {
  static auto* idle = new std::vector<std::uint8_t*>();  // never destroyed: used until exit
  return *idle;
}

}  // namespace

StagingBuffer::StagingBuffer() {
  {
    std::lock_guard lock(pool_mutex);
    auto& idle = idle_buffers();
    if (!idle.empty()) {
      data_ = idle.back();
      idle.pop_back();
      return;
    }
  }
  data_ = static_cast<std::uint8_t*>(std::aligned_alloc(kAlignment, kSize));
  if (data_ == nullptr) throw std::bad_alloc();
}

StagingBuffer::~StagingBuffer() {
  std::lock_guard lock(pool_mutex);
  auto& idle = idle_buffers();
  if (idle.size() < kMaxIdle) {
    idle.push_back(data_);
  } else {
    std::free(data_);
  }
}

}  // namespace coffer::server::storage
