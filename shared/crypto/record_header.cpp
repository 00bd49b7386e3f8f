#include "crypto/record_header.hpp"

#include "crypto/record_format.hpp"

namespace coffer::crypto {

namespace {
constexpr std::uint8_t kRetiredFormatVersion = 1;
}  // namespace

void write_record_header(ByteWriter& out, std::uint8_t kind) {
  out.u8(kind);
  out.u8(kRecordFormatVersion);
}

const char* record_header_defect(ByteReader& in, std::uint8_t kind) {
  const std::uint8_t read_kind = in.u8();
  const std::uint8_t version = in.u8();
  if (!in.ok()) return "truncated header";
  if (read_kind != kind) return "a record of another kind";
  if (version == kRetiredFormatVersion) return "format version 1 is no longer read";
  if (version != kRecordFormatVersion) return "unknown format version";
  return nullptr;
}

}  // namespace coffer::crypto
