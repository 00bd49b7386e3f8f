#pragma once

// Internal to coffer_crypto: the X25519 agreement behind key sharing (crypto/keys.hpp).

#include "crypto/bytes.hpp"
#include "util/result.hpp"

namespace coffer::crypto {

// The 32-byte X25519 shared secret. Errc::invalid_argument when the peer key is not 32 bytes
// or is a low-order point (OpenSSL refuses the all-zero result).
Result<SecureBytes> x25519_shared_secret(ByteView private_key, ByteView peer_public_key);

}  // namespace coffer::crypto
