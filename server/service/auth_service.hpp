#pragma once

#include <string>
#include <string_view>

#include "protocol/auth.hpp"
#include "server/service/caller.hpp"
#include "server/service/context.hpp"
#include "server/service/outcome.hpp"

namespace coffer::server::service {

// Logins, sessions and the caller's own account (docs/api.md, "Authentication and account").
class AuthService {
 public:
  explicit AuthService(Context& context) : context_(context) {}

  Outcome<protocol::AuthParams> auth_params(const std::string& user);
  Outcome<protocol::LoginResponse> login(const protocol::LoginRequest& request, const std::string& address);
  // The caller behind a bearer token; Errc::unauthenticated for a missing, unknown, expired or
  // revoked session or a disabled user.
  Result<Caller> authenticate(std::string_view token, const std::string& address);
  Outcome<Done> logout(const Caller& caller);
  Outcome<protocol::SessionList> sessions(const Caller& caller);
  Outcome<Done> revoke_session(const Caller& caller, const std::string& session_id);
  Outcome<protocol::Account> account(const Caller& caller);
  // Needs the proof of the current password (request.current_auth_key): a session alone cannot
  // replace the login secrets or the key bundle. Errc::proof_failed for a wrong proof, counted
  // in the login backoff; Errc::rate_limited while the caller's address or pair is blocked.
  Outcome<Done> change_password(const Caller& caller, const protocol::PasswordChange& request);
  // Ends every session of the caller but the calling one. Needs the proof like a password
  // change (a thief must not lock the owner's devices out), with the same errors.
  Outcome<protocol::SessionsRevoked> revoke_other_sessions(const Caller& caller, const protocol::PasswordProof& request);
  // Deletes the caller's account and everything it owns (remove_account). Needs the proof and
  // the account's own name in request.confirm_user (Errc::invalid_argument otherwise, checked
  // first and not counted as a failure).
  Outcome<Done> delete_account(const Caller& caller, const protocol::AccountDeletion& request);
  Outcome<protocol::RegisterResponse> register_user(const protocol::RegisterRequest& request,
                                                    const std::string& address);
  Outcome<protocol::PublicKeyInfo> public_key(const Caller& caller, const std::string& name);

 private:
  Outcome<protocol::LoginResponse> start_session(const storage::UserRecord& user, const protocol::LoginRequest& request,
                                                 const std::string& address);
  Outcome<protocol::LoginResponse> refuse_login(const std::string& user, const std::string& address,
                                                const std::string& reason);
  // Checks the caller's current auth_key as a login would (backoff first, constant-time check,
  // failures counted and audited as `event`).
  Outcome<Done> check_proof(const Caller& caller, const std::string& auth_key, const char* event);

  Context& context_;
};

}  // namespace coffer::server::service
