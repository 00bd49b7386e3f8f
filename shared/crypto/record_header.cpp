#include "crypto/record_header.hpp"

#include "crypto/record_format.hpp"

namespace coffer::crypto {

namespace {

std::uint8_t format_version(std::uint8_t kind) {
  return kind == kManifestRecordKind ? kManifestFormatVersion : kRecordFormatVersion;
}

}  // namespace

void write_record_header(ByteWriter& out, std::uint8_t kind) {
  out.u8(kind);
  out.u8(format_version(kind));
}

const char* record_header_defect(ByteReader& in, std::uint8_t kind) {
  const std::uint8_t read_kind = in.u8();
  const std::uint8_t version = in.u8();
  if (!in.ok()) return "truncated header";
  if (read_kind != kind) return "a record of another kind";
  if (version == 1) return "format version 1 is no longer read";
  if (version == 2 && kind == kManifestRecordKind) return "format version 2 is no longer read";
  if (version != format_version(kind)) return "unknown format version";
  return nullptr;
}

}  // namespace coffer::crypto
