#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace coffer::server::service {

// The server never stores auth_key (it would let a thief of the database log in): it keeps
// "scrypt$LOG2N$R$P$SALT$HASH" with its own random salt, and compares in constant time.
// auth_key_b64 is the canonical base64url of the 32-byte key, as the wire carries it.
Result<std::string> make_auth_verifier(std::string_view auth_key_b64);
bool check_auth_verifier(std::string_view verifier, std::string_view auth_key_b64);

// A verifier no key matches, with the same cost, for unknown users: a login for a missing
// name takes as long as one with a wrong key.
const std::string& decoy_auth_verifier();

}  // namespace coffer::server::service
