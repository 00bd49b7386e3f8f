#pragma once

#include <cstdint>
#include <string>

#include "crypto/bytes.hpp"
#include "crypto/fernet.hpp"
#include "util/result.hpp"

namespace coffer::crypto {

// Password hashing parameters, stored by the server beside the user's salt and sent to the
// client with it. Only scrypt is supported (OpenSSL 3.0 has no Argon2).
struct KdfParams {
  std::string algorithm = "scrypt";
  std::uint64_t n = 1u << 15;  // cost; must be a power of two
  std::uint32_t r = 8;
  std::uint32_t p = 1;
  Bytes salt;  // 16 random bytes per user

  static KdfParams fresh();  // default cost and a new random salt
  Status validate() const;   // refuses unknown algorithms and unsafe or absurd costs
};

struct LoginKeys {
  SecureBytes auth_key;  // 32 bytes, sent to the server at login
  FernetKey kek;         // never leaves the client
};

// password -> scrypt(params) -> 32-byte secret -> HKDF-SHA256:
//   auth_key = HKDF(secret, info "coffer/v1/auth", 32)
//   kek      = HKDF(secret, info "coffer/v1/kek", 32) as a Fernet key
Result<LoginKeys> derive_login_keys(std::string_view password, const KdfParams& params);

// scrypt(password, params) alone, 32 bytes, after validate(): the secret a password-protected
// share link mixes into its key (crypto/link_seal.hpp).
Result<SecureBytes> password_secret(std::string_view password, const KdfParams& params);

}  // namespace coffer::crypto
