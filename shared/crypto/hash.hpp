#pragma once

#include <array>
#include <cstdint>

#include "crypto/bytes.hpp"

namespace coffer::crypto {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(ByteView data);
Sha256Digest hmac_sha256(ByteView key, ByteView data);
// HKDF-SHA256 (RFC 5869) with an empty salt unless one is given.
SecureBytes hkdf_sha256(ByteView input_key, std::string_view info, std::size_t length, ByteView salt = {});
// Constant-time equality; false when sizes differ.
bool constant_time_equal(ByteView a, ByteView b) noexcept;

}  // namespace coffer::crypto
