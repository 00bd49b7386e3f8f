#include "crypto/byte_codec.hpp"

namespace coffer::crypto {

void ByteWriter::put(std::uint64_t value, int size) {
  for (int shift = (size - 1) * 8; shift >= 0; shift -= 8) out_.push_back(static_cast<std::uint8_t>(value >> shift));
}

std::uint64_t ByteReader::get(int size) {
  const ByteView bytes = raw(static_cast<std::size_t>(size));
  std::uint64_t value = 0;
  for (std::uint8_t byte : bytes) value = (value << 8) | byte;
  return value;
}

ByteView ByteReader::raw(std::size_t size) {
  if (failed_ || size > remaining()) {
    failed_ = true;
    return {};
  }
  const ByteView bytes = in_.subspan(pos_, size);
  pos_ += size;
  return bytes;
}

}  // namespace coffer::crypto
