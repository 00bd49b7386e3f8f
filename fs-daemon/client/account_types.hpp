#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "crypto/bytes.hpp"
#include "crypto/kdf.hpp"

namespace coffer::client {

struct Session {
  std::string token;
  std::string session_id;
  std::int64_t expires_at = 0;
  std::int64_t user_id = 0;
  bool admin = false;
};

// One live session of the user, as GET /v1/sessions lists it.
struct SessionInfo {
  std::string session_id;
  std::string device;
  std::int64_t created_at = 0;
  std::int64_t last_seen = 0;
  std::int64_t expires_at = 0;
  bool current = false;  // the session of the request that listed them
};

struct Account {
  std::string user;
  std::int64_t user_id = 0;
  bool admin = false;
  std::string root_node_id;
  Bytes key_bundle;  // sealed under kek
  Bytes public_key;
  Bytes root_wrapped_key;  // root folder key under the master key
  crypto::KdfParams kdf;
  std::optional<std::uint64_t> quota;
  std::uint64_t used = 0;
};

struct Registration {
  std::string invite;
  crypto::KdfParams kdf;
  SecureBytes auth_key;
  Bytes key_bundle;
  Bytes public_key;
  std::string root_node_id;
  Bytes root_wrapped_key;
  Bytes root_attributes;
  Bytes root_folder_record;
};

}  // namespace coffer::client
