#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace coffer::server::service {

// Fresh random identifiers and bearer secrets, and the one-way forms stored in their place.
std::string new_session_token();  // 256 random bits as 64 hex characters
std::string new_session_id();     // 128 random bits as 32 hex characters
std::string new_invite_code();    // 128 random bits, grouped for reading aloud
std::string new_server_secret();  // 256 random bits as hex
// SHA-256 hex of a token or invite code: what the database keeps.
std::string secret_hash(std::string_view secret);

// A deterministic 16-byte salt for a user name that does not exist, so GET /v1/auth/params
// answers alike for every name: HMAC-SHA256(server secret, "coffer/v1/fake-salt/" + name),
// truncated, base64url.
std::string fake_salt(std::string_view server_secret_hex, std::string_view user_name);

}  // namespace coffer::server::service
