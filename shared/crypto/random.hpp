#pragma once

#include <cstddef>

#include "crypto/bytes.hpp"

namespace coffer::crypto {

// Cryptographically secure random bytes from OpenSSL's DRBG. Throws std::runtime_error only
// if the DRBG itself fails (never returns weak bytes).
Bytes random_bytes(std::size_t count);
SecureBytes random_secret(std::size_t count);
void fill_random(std::uint8_t* out, std::size_t count);

}  // namespace coffer::crypto
