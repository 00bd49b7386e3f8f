#include "protocol/auth.hpp"

#include "protocol/folders.hpp"
#include "protocol/formats.hpp"
#include "protocol/limits.hpp"

namespace coffer::protocol {
namespace {

const TextRule kAuthKey = TextRule::base64url(kAuthKeyBytes, kAuthKeyBytes);
const TextRule kPublicKey = TextRule::base64url(kPublicKeyBytes, kPublicKeyBytes);
const TextRule kKeyBundle = TextRule::base64url(1, kMaxKeyBundleBytes);
const TextRule kWrappedKey = TextRule::base64url(kMinWrappedKeyBytes, kMaxWrappedKeyBytes);
const TextRule kSessionId = TextRule::hex(kSessionIdLength);

Status check_kdf_costs(const KdfParams& kdf, const std::string& path) {
  const bool power_of_two = kdf.n != 0 && (kdf.n & (kdf.n - 1)) == 0;
  if (!power_of_two || kdf.n < (1u << 14) || kdf.n > (1u << 22)) {
    return make_error(Errc::invalid_argument, path + "n: expected a power of two from 16384 to 4194304");
  }
  if (kdf.r < 1 || kdf.r > 32) return make_error(Errc::invalid_argument, path + "r: expected 1 to 32");
  if (kdf.p < 1 || kdf.p > 16) return make_error(Errc::invalid_argument, path + "p: expected 1 to 16");
  // The crypto core's bound (crypto/kdf.cpp): scrypt's memory 128 * r * (n + p) within 1 GiB.
  if (128 * kdf.r * (kdf.n + kdf.p) > (1ull << 30)) {
    return make_error(Errc::invalid_argument, path + "n, r: scrypt would need more than 1 GiB");
  }
  return {};
}

}  // namespace

Result<KdfParams> KdfParams::from_json(const Json& value, const std::string& path) {
  KdfParams out;
  ObjectReader in(value, path, UnknownFields::refuse);
  in.choice("algorithm", out.algorithm, {"scrypt"});
  in.number("n", out.n);
  in.number("r", out.r);
  in.number("p", out.p);
  in.text("salt", out.salt, TextRule::base64url(kMinSaltBytes, kMaxSaltBytes));
  COFFER_TRY_STATUS(in.finish());
  COFFER_TRY_STATUS(check_kdf_costs(out, path.empty() ? "" : path + "."));
  return out;
}

void to_json(Json& out, const KdfParams& value) {
  out = Json{{"algorithm", value.algorithm}, {"n", value.n}, {"r", value.r}, {"p", value.p}, {"salt", value.salt}};
}

Result<AuthParams> AuthParams::from_json(const Json& value, const std::string& path) {
  AuthParams out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.object("kdf", out.kdf, KdfParams::from_json);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const AuthParams& value) { out = Json{{"kdf", value.kdf}}; }

Result<LoginRequest> LoginRequest::from_json(const Json& value, const std::string& path) {
  LoginRequest out;
  ObjectReader in(value, path, UnknownFields::refuse);
  in.text("user", out.user, TextRule::user_name());
  in.text("auth_key", out.auth_key, kAuthKey);
  in.text("device", out.device, TextRule::label(kMaxDeviceChars));
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const LoginRequest& value) {
  out = Json{{"user", value.user}, {"auth_key", value.auth_key}, {"device", value.device}};
}

Result<LoginResponse> LoginResponse::from_json(const Json& value, const std::string& path) {
  LoginResponse out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.text("token", out.token, TextRule::any(256));
  in.text("session_id", out.session_id, kSessionId);
  in.number("expires_at", out.expires_at);
  in.number("user_id", out.user_id);
  in.boolean("admin", out.admin);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const LoginResponse& value) {
  out = Json{{"token", value.token},       {"session_id", value.session_id}, {"expires_at", value.expires_at},
             {"user_id", value.user_id}, {"admin", value.admin}};
}

Result<SessionInfo> SessionInfo::from_json(const Json& value, const std::string& path) {
  SessionInfo out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.text("session_id", out.session_id, kSessionId);
  in.text("device", out.device, TextRule::any(kMaxDeviceChars));
  in.number("created_at", out.created_at);
  in.number("last_seen", out.last_seen);
  in.number("expires_at", out.expires_at);
  in.boolean("current", out.current);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const SessionInfo& value) {
  out = Json{{"session_id", value.session_id}, {"device", value.device},         {"created_at", value.created_at},
             {"last_seen", value.last_seen},   {"expires_at", value.expires_at}, {"current", value.current}};
}

Result<SessionList> SessionList::from_json(const Json& value, const std::string& path) {
  SessionList out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.object_array("sessions", out.sessions, SIZE_MAX, SessionInfo::from_json);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const SessionList& value) { out = Json{{"sessions", value.sessions}}; }

Result<Account> Account::from_json(const Json& value, const std::string& path) {
  Account out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.text("user", out.user, TextRule::user_name());
  in.number("user_id", out.user_id);
  in.boolean("admin", out.admin);
  in.text("root_node_id", out.root_node_id, TextRule::hex(kNodeIdLength));
  in.text("key_bundle", out.key_bundle, kKeyBundle);
  in.text("public_key", out.public_key, kPublicKey);
  in.text("root_wrapped_key", out.root_wrapped_key, kWrappedKey);
  in.object("kdf", out.kdf, KdfParams::from_json);
  in.optional_number("quota", out.quota);
  in.number("used", out.used);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const Account& value) {
  out = Json{{"user", value.user},
             {"user_id", value.user_id},
             {"admin", value.admin},
             {"root_node_id", value.root_node_id},
             {"key_bundle", value.key_bundle},
             {"public_key", value.public_key},
             {"root_wrapped_key", value.root_wrapped_key},
             {"kdf", value.kdf},
             {"quota", value.quota ? Json(*value.quota) : Json(nullptr)},
             {"used", value.used}};
}

Result<PasswordChange> PasswordChange::from_json(const Json& value, const std::string& path) {
  PasswordChange out;
  ObjectReader in(value, path, UnknownFields::refuse);
  in.text("current_auth_key", out.current_auth_key, kAuthKey);
  in.object("kdf", out.kdf, KdfParams::from_json);
  in.text("auth_key", out.auth_key, kAuthKey);
  in.text("key_bundle", out.key_bundle, kKeyBundle);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const PasswordChange& value) {
  out = Json{{"current_auth_key", value.current_auth_key},
             {"kdf", value.kdf},
             {"auth_key", value.auth_key},
             {"key_bundle", value.key_bundle}};
}

Result<PasswordProof> PasswordProof::from_json(const Json& value, const std::string& path) {
  PasswordProof out;
  ObjectReader in(value, path, UnknownFields::refuse);
  in.text("current_auth_key", out.current_auth_key, kAuthKey);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const PasswordProof& value) { out = Json{{"current_auth_key", value.current_auth_key}}; }

Result<SessionsRevoked> SessionsRevoked::from_json(const Json& value, const std::string& path) {
  SessionsRevoked out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.number("revoked", out.revoked);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const SessionsRevoked& value) { out = Json{{"revoked", value.revoked}}; }

Result<AccountDeletion> AccountDeletion::from_json(const Json& value, const std::string& path) {
  AccountDeletion out;
  ObjectReader in(value, path, UnknownFields::refuse);
  in.text("current_auth_key", out.current_auth_key, kAuthKey);
  in.text("confirm_user", out.confirm_user, TextRule::user_name());
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const AccountDeletion& value) {
  out = Json{{"current_auth_key", value.current_auth_key}, {"confirm_user", value.confirm_user}};
}

Result<RegisterRequest> RegisterRequest::from_json(const Json& value, const std::string& path) {
  RegisterRequest out;
  ObjectReader in(value, path, UnknownFields::refuse);
  in.text("invite", out.invite, TextRule::label(kMaxInviteChars));
  in.object("kdf", out.kdf, KdfParams::from_json);
  in.text("auth_key", out.auth_key, kAuthKey);
  in.text("key_bundle", out.key_bundle, kKeyBundle);
  in.text("public_key", out.public_key, kPublicKey);
  in.text("root_node_id", out.root_node_id, TextRule::hex(kNodeIdLength));
  in.text("root_wrapped_key", out.root_wrapped_key, kWrappedKey);
  in.text("root_attributes", out.root_attributes, TextRule::base64url(1, kMaxAttributesBytes));
  in.text("root_folder_record", out.root_folder_record, folder_record_rule());
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const RegisterRequest& value) {
  out = Json{{"invite", value.invite},
             {"kdf", value.kdf},
             {"auth_key", value.auth_key},
             {"key_bundle", value.key_bundle},
             {"public_key", value.public_key},
             {"root_node_id", value.root_node_id},
             {"root_wrapped_key", value.root_wrapped_key},
             {"root_attributes", value.root_attributes},
             {"root_folder_record", value.root_folder_record}};
}

Result<RegisterResponse> RegisterResponse::from_json(const Json& value, const std::string& path) {
  RegisterResponse out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.text("user", out.user, TextRule::user_name());
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const RegisterResponse& value) { out = Json{{"user", value.user}}; }

Result<PublicKeyInfo> PublicKeyInfo::from_json(const Json& value, const std::string& path) {
  PublicKeyInfo out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.text("user", out.user, TextRule::user_name());
  in.text("public_key", out.public_key, kPublicKey);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const PublicKeyInfo& value) {
  out = Json{{"user", value.user}, {"public_key", value.public_key}};
}

}  // namespace coffer::protocol
