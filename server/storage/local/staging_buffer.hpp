#pragma once

#include <cstddef>
#include <cstdint>

namespace coffer::server::storage {

// A 1 MiB buffer aligned for O_DIRECT, taken from a process-wide pool and given back on
// destruction: uploads reuse memory that is already mapped instead of faulting in fresh pages.
class StagingBuffer {
 public:
  static constexpr std::size_t kAlignment = 4096;  // every block size Linux file systems use
  static constexpr std::size_t kSize = std::size_t{1} << 20;

  StagingBuffer();
  ~StagingBuffer();
  StagingBuffer(const StagingBuffer&) = delete;
  StagingBuffer& operator=(const StagingBuffer&) = delete;

  std::uint8_t* data() const { return data_; }

 private:
  std::uint8_t* data_;
};

}  // namespace coffer::server::storage
