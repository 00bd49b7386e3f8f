#pragma once

// Internal to coffer_crypto: the big-endian primitives of the sealed record formats
// (docs/crypto.md, "Record serialization").

#include <cstdint>
#include <string>

#include "crypto/bytes.hpp"

namespace coffer::crypto {

class ByteWriter {
 public:
  void u8(std::uint8_t value) { out_.push_back(value); }
  void u16(std::uint16_t value) { put(value, 2); }
  void u32(std::uint32_t value) { put(value, 4); }
  void u64(std::uint64_t value) { put(value, 8); }
  void i64(std::int64_t value) { put(static_cast<std::uint64_t>(value), 8); }
  void raw(ByteView bytes) { out_.insert(out_.end(), bytes.begin(), bytes.end()); }
  Bytes take() { return std::move(out_); }

 private:
  void put(std::uint64_t value, int size);
  Bytes out_;
};

// Reads never run past the end: a short read marks the reader failed and yields zeros, so a
// decoder reads a whole record and checks ok() once, plus any field that sizes an allocation.
class ByteReader {
 public:
  explicit ByteReader(ByteView in) : in_(in) {}
  std::uint8_t u8() { return static_cast<std::uint8_t>(get(1)); }
  std::uint16_t u16() { return static_cast<std::uint16_t>(get(2)); }
  std::uint32_t u32() { return static_cast<std::uint32_t>(get(4)); }
  std::uint64_t u64() { return get(8); }
  std::int64_t i64() { return static_cast<std::int64_t>(get(8)); }
  ByteView raw(std::size_t size);
  std::string text(std::size_t size) { return to_string(raw(size)); }

  std::size_t remaining() const { return in_.size() - pos_; }
  bool ok() const { return !failed_; }
  bool finished() const { return !failed_ && pos_ == in_.size(); }
  void fail() { failed_ = true; }

 private:
  std::uint64_t get(int size);
  ByteView in_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace coffer::crypto
