#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

#include "crypto/bytes.hpp"

namespace coffer {

// A byte buffer for chunk-sized data (up to 64 MiB) that is written in full right after it is
// sized, such as a chunk's plaintext. Unlike std::vector<std::uint8_t>, uninitialized() does not
// zero it first: zeroing a 1 MiB plaintext before AES overwrote it was a tenth of the daemon's
// CPU on a cold read (docs/performance.md). Everything else is as a vector would do it: copies
// are one memcpy, resize() zero-fills the bytes it adds, moved-from buffers are empty.
class ChunkBytes {
 public:
  ChunkBytes() = default;
  explicit ChunkBytes(ByteView bytes) { assign(bytes); }
  // `size` bytes whose values are indeterminate until written.
  static ChunkBytes uninitialized(std::size_t size);

  ChunkBytes(const ChunkBytes& other) : ChunkBytes(ByteView(other)) {}
  ChunkBytes& operator=(const ChunkBytes& other);
  ChunkBytes(ChunkBytes&& other) noexcept;
  ChunkBytes& operator=(ChunkBytes&& other) noexcept;
  ~ChunkBytes() = default;

  std::uint8_t* data() noexcept { return bytes_.get(); }
  const std::uint8_t* data() const noexcept { return bytes_.get(); }
  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  std::uint8_t& operator[](std::size_t i) noexcept { return bytes_[i]; }
  std::uint8_t operator[](std::size_t i) const noexcept { return bytes_[i]; }
  std::uint8_t back() const noexcept { return bytes_[size_ - 1]; }
  const std::uint8_t* begin() const noexcept { return data(); }
  const std::uint8_t* end() const noexcept { return data() + size_; }
  operator ByteView() const noexcept { return {data(), size_}; }

  // Replaces the content, reusing the buffer when it is large enough.
  void assign(ByteView bytes);
  // Shrinks, or grows with zeros, as std::vector::resize.
  void resize(std::size_t size);

  friend bool operator==(const ChunkBytes& a, const ChunkBytes& b) noexcept;

 private:
  std::unique_ptr<std::uint8_t[]> bytes_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace coffer
