#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace coffer::server::http {

// One byte range of a blob, resolved against its size.
struct ByteRange {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

enum class RangeAnswer { whole, partial, unsatisfiable };

// Reads a Range header ("bytes=A-B", "bytes=A-", "bytes=-N") for a blob of `size` bytes. A
// missing header, or one asking for several ranges, gets the whole blob (RFC 9110 lets a server
// ignore Range); a malformed header or a range that starts past the end is unsatisfiable.
RangeAnswer resolve_range(std::string_view header, std::uint64_t size, ByteRange& out);

}  // namespace coffer::server::http
