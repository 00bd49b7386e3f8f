#include "crypto/chunk_bytes.hpp"

#include <algorithm>
#include <cstring>

namespace coffer {

ChunkBytes ChunkBytes::uninitialized(std::size_t size) {
  ChunkBytes out;
  if (size == 0) return out;
  out.bytes_ = std::make_unique_for_overwrite<std::uint8_t[]>(size);
  out.size_ = out.capacity_ = size;
  return out;
}

ChunkBytes& ChunkBytes::operator=(const ChunkBytes& other) {
  if (this != &other) assign(other);
  return *this;
}

ChunkBytes::ChunkBytes(ChunkBytes&& other) noexcept
    : bytes_(std::move(other.bytes_)), size_(std::exchange(other.size_, 0)), capacity_(std::exchange(other.capacity_, 0)) {}

ChunkBytes& ChunkBytes::operator=(ChunkBytes&& other) noexcept {
  bytes_ = std::move(other.bytes_);
  size_ = std::exchange(other.size_, 0);
  capacity_ = std::exchange(other.capacity_, 0);
  return *this;
}

void ChunkBytes::assign(ByteView bytes) {
  if (bytes.size() > capacity_) *this = uninitialized(bytes.size());
  size_ = bytes.size();
  if (size_ != 0) std::memcpy(bytes_.get(), bytes.data(), size_);
}

void ChunkBytes::resize(std::size_t size) {
  if (size > capacity_) {
    ChunkBytes grown = uninitialized(size);
    if (size_ != 0) std::memcpy(grown.bytes_.get(), bytes_.get(), size_);
    grown.size_ = size_;
    *this = std::move(grown);
  }
  if (size > size_) std::memset(bytes_.get() + size_, 0, size - size_);
  size_ = size;
}

bool operator==(const ChunkBytes& a, const ChunkBytes& b) noexcept {
  return a.size_ == b.size_ && (a.size_ == 0 || std::memcmp(a.data(), b.data(), a.size_) == 0);
}

}  // namespace coffer
