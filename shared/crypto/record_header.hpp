#pragma once

// Internal to coffer_crypto: the two bytes every sealed record starts with, kind then format
// version (docs/crypto.md, section 12).

#include <cstdint>

#include "crypto/byte_codec.hpp"

namespace coffer::crypto {

void write_record_header(ByteWriter& out, std::uint8_t kind);
// Reads the header; returns what is wrong with it (for the caller's Errc::integrity message),
// or nullptr for a record of `kind` at its current format version (record_format.hpp). Older
// versions predate any release and are refused by name, never read as the current one.
const char* record_header_defect(ByteReader& in, std::uint8_t kind);

}  // namespace coffer::crypto
