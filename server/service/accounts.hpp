#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "protocol/auth.hpp"
#include "server/storage/metadata_store.hpp"

namespace coffer::server::service {

// Everything a working account needs, made on the user's side (coffer register, or
// coffer-admin user add acting as a client): the server only stores it.
struct NewAccount {
  std::string name;
  bool admin = false;
  protocol::KdfParams kdf;
  std::string auth_key;  // base64url; only its slow hash is kept
  std::string key_bundle;
  std::string public_key;
  std::string root_node_id;
  std::string root_wrapped_key;
  std::string root_attributes;     // sealed attribute record of the root folder, revision 1
  std::string root_folder_record;  // sealed folder record of the root folder, revision 1, empty
  std::optional<std::uint64_t> quota;
};

// Creates the user and their root folder in `txn`. Errc::already_exists when the name is taken
// (or invited to someone else) or the root node id is in use.
Result<std::int64_t> create_account(storage::Transaction& txn, const NewAccount& account, std::int64_t now);

// The server-wide secret behind fake salts, created on first use.
Result<std::string> server_secret(storage::MetadataStore& metadata);

}  // namespace coffer::server::service
