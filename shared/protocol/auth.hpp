#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/json_reader.hpp"

namespace coffer::protocol {

// Binary values travel as canonical base64url text with padding (docs/api.md); the structs keep
// that text, so a client decodes with crypto::base64url_decode and the server stores it as is.

struct KdfParams {
  std::string algorithm = "scrypt";
  std::uint64_t n = 1u << 15;
  std::uint64_t r = 8;
  std::uint64_t p = 1;
  std::string salt;  // base64url, 16..64 bytes
  static Result<KdfParams> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const KdfParams& value);

// GET /v1/auth/params
struct AuthParams {
  KdfParams kdf;
  static Result<AuthParams> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const AuthParams& value);

// POST /v1/sessions
struct LoginRequest {
  std::string user;
  std::string auth_key;  // base64url, 32 bytes
  std::string device;
  static Result<LoginRequest> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const LoginRequest& value);

struct LoginResponse {
  std::string token;
  std::string session_id;
  std::int64_t expires_at = 0;
  std::int64_t user_id = 0;
  bool admin = false;
  static Result<LoginResponse> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const LoginResponse& value);

// GET /v1/sessions
struct SessionInfo {
  std::string session_id;
  std::string device;
  std::int64_t created_at = 0;
  std::int64_t last_seen = 0;
  std::int64_t expires_at = 0;
  bool current = false;
  static Result<SessionInfo> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const SessionInfo& value);

struct SessionList {
  std::vector<SessionInfo> sessions;
  static Result<SessionList> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const SessionList& value);

// GET /v1/account
struct Account {
  std::string user;
  std::int64_t user_id = 0;
  bool admin = false;
  std::string root_node_id;
  std::string key_bundle;        // base64url: the sealed UserKeyBundle under kek
  std::string public_key;        // base64url, 32 bytes
  std::string root_wrapped_key;  // base64url: the root folder key under the master key
  KdfParams kdf;
  std::optional<std::uint64_t> quota;
  std::uint64_t used = 0;
  static Result<Account> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const Account& value);

// PUT /v1/account/password
struct PasswordChange {
  std::string current_auth_key;  // proof: the auth_key of the password being replaced
  KdfParams kdf;
  std::string auth_key;
  std::string key_bundle;
  static Result<PasswordChange> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const PasswordChange& value);

// POST /v1/sessions/revoke-others: the proof of the current password alone.
struct PasswordProof {
  std::string current_auth_key;  // the auth_key of the account's current password
  static Result<PasswordProof> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const PasswordProof& value);

struct SessionsRevoked {
  std::uint64_t revoked = 0;  // how many other sessions ended
  static Result<SessionsRevoked> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const SessionsRevoked& value);

// DELETE /v1/account
struct AccountDeletion {
  std::string current_auth_key;  // proof of the current password
  std::string confirm_user;      // the account's own name, so a misfired request cannot delete it
  static Result<AccountDeletion> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const AccountDeletion& value);

// POST /v1/register
struct RegisterRequest {
  std::string invite;
  KdfParams kdf;
  std::string auth_key;
  std::string key_bundle;
  std::string public_key;
  std::string root_node_id;
  std::string root_wrapped_key;
  std::string root_attributes;     // sealed attribute record, revision 1
  std::string root_folder_record;  // sealed folder record, revision 1, no entries
  static Result<RegisterRequest> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const RegisterRequest& value);

struct RegisterResponse {
  std::string user;
  static Result<RegisterResponse> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const RegisterResponse& value);

// GET /v1/users/{name}/public_key
struct PublicKeyInfo {
  std::string user;
  std::string public_key;
  static Result<PublicKeyInfo> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const PublicKeyInfo& value);

}  // namespace coffer::protocol
