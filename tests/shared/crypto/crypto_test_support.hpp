#pragma once

// Helpers for the crypto unit tests only.

#include <cstdint>
#include <string_view>

#include "crypto/encoding.hpp"
#include "crypto/fernet.hpp"

namespace coffer::crypto::testing {

inline Bytes from_hex(std::string_view hex) { return hex_decode(hex).value(); }

inline FernetKey key_from_base64(std::string_view text) { return FernetKey::from_base64(text).value(); }

inline Clock fixed_clock(std::uint64_t now) {
  return [now] { return now; };
}

}  // namespace coffer::crypto::testing
