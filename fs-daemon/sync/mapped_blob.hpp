#pragma once

#include <filesystem>

#include "crypto/bytes.hpp"
#include "util/result.hpp"

namespace coffer::sync {

// A journal blob file mapped read-only, so an upload sends it straight from the page cache
// instead of copying it into a buffer first. Blob files are renamed into place whole and never
// written again, so the mapping cannot shrink under a reader.
class MappedBlob {
 public:
  static Result<MappedBlob> open(const std::filesystem::path& path);
  MappedBlob(MappedBlob&& other) noexcept;
  MappedBlob& operator=(MappedBlob&&) = delete;
  MappedBlob(const MappedBlob&) = delete;
  ~MappedBlob();

  ByteView bytes() const { return {static_cast<const std::uint8_t*>(address_), size_}; }

 private:
  MappedBlob(void* address, std::size_t size) : address_(address), size_(size) {}

  void* address_ = nullptr;  // null for an empty file: there is nothing to map
  std::size_t size_ = 0;
};

}  // namespace coffer::sync
