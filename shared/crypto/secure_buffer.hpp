#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace coffer {

void secure_zero(void* data, std::size_t size) noexcept;

// An allocator whose memory is wiped before it is returned, for key material and passwords.
template <class T>
struct ZeroingAllocator {
  using value_type = T;
  ZeroingAllocator() noexcept = default;
  template <class U>
  ZeroingAllocator(const ZeroingAllocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return std::allocator<T>{}.allocate(n); }
  void deallocate(T* p, std::size_t n) noexcept {
    secure_zero(p, n * sizeof(T));
    std::allocator<T>{}.deallocate(p, n);
  }
  template <class U>
  bool operator==(const ZeroingAllocator<U>&) const noexcept { return true; }
};

// Bytes that are zeroed when freed. Used for every key, password and derived secret.
using SecureBytes = std::vector<std::uint8_t, ZeroingAllocator<std::uint8_t>>;

}  // namespace coffer
