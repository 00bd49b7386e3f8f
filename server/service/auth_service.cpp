#include "server/service/auth_service.hpp"

#include "protocol/formats.hpp"
#include "server/service/account_removal.hpp"
#include "server/service/accounts.hpp"
#include "server/service/auth_verifier.hpp"
#include "server/service/link_service.hpp"
#include "server/service/login_throttle.hpp"
#include "server/service/secrets.hpp"
#include "server/service/transactions.hpp"
#include "server/service/views.hpp"

namespace coffer::server::service {
namespace {

using storage::Transaction;

// last_seen is written at most this often per session, so authenticating stays a read.
constexpr std::int64_t kTouchInterval = 60;

const Error kBadLogin = make_error(Errc::unauthenticated, "wrong user name or password");

Status audit(Transaction& txn, std::int64_t now, const char* event, const std::optional<std::string>& user,
             const std::string& address, const std::string& detail) {
  return txn.audit().append(storage::AuditRecord{0, now, event, user, address, detail});
}

Error rate_limited(std::int64_t seconds) {
  return make_error(Errc::rate_limited, "too many failed attempts; retry in " + std::to_string(seconds) + " s");
}

template <class T>
Outcome<T> retry_later(std::int64_t seconds) {
  return Outcome<T>(rate_limited(seconds), protocol::Json{{"retry_after", seconds}});
}

// The audit detail of a failure: its reason, and the block it started, if any.
std::string failure_detail(const std::string& reason, std::int64_t blocked) {
  if (blocked <= 0) return reason;
  return reason + "; further attempts from this address blocked for " + std::to_string(blocked) + " s";
}

}  // namespace

Outcome<protocol::AuthParams> AuthService::auth_params(const std::string& user) {
  auto stored = in_read<std::optional<storage::UserRecord>>(context_, [&](Transaction& txn) -> Outcome<std::optional<storage::UserRecord>> {
    return txn.users().find_by_name(user);
  });
  if (!stored) return stored.error();
  if (*stored) return protocol::AuthParams{kdf_view((*stored)->kdf)};
  auto secret = server_secret(context_.metadata);
  if (!secret) return secret.error();
  protocol::AuthParams params;
  params.kdf.salt = fake_salt(*secret, user);
  return params;
}

Outcome<protocol::LoginResponse> AuthService::refuse_login(const std::string& user, const std::string& address,
                                                           const std::string& reason) {
  const std::int64_t now = context_.clock();
  const std::int64_t blocked = context_.throttle.record_failure({user, address}, now);
  (void)in_write<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
    COFFER_TRY_STATUS(audit(txn, now, "login_failed", user, address, failure_detail(reason, blocked)));
    return Done{};
  });
  return kBadLogin;
}

Outcome<protocol::LoginResponse> AuthService::login(const protocol::LoginRequest& request, const std::string& address) {
  const std::int64_t now = context_.clock();
  if (auto wait = context_.throttle.retry_after({request.user, address}, now); wait > 0) {
    return retry_later<protocol::LoginResponse>(wait);
  }
  auto found = in_read<std::optional<storage::UserRecord>>(context_, [&](Transaction& txn) -> Outcome<std::optional<storage::UserRecord>> {
    return txn.users().find_by_name(request.user);
  });
  if (!found) return found.error();
  if (!*found) {
    (void)check_auth_verifier(decoy_auth_verifier(), request.auth_key);  // same time as a real check
    return refuse_login(request.user, address, "unknown user");
  }
  if (!check_auth_verifier((*found)->auth_verifier, request.auth_key)) {
    return refuse_login(request.user, address, "wrong auth key");
  }
  if ((*found)->disabled) return refuse_login(request.user, address, "account disabled");
  context_.throttle.record_success({request.user, address});
  return start_session(**found, request, address);
}

Outcome<protocol::LoginResponse> AuthService::start_session(const storage::UserRecord& user,
                                                            const protocol::LoginRequest& request,
                                                            const std::string& address) {
  const std::int64_t now = context_.clock();
  const std::string token = new_session_token();
  storage::SessionRecord session{new_session_id(), user.id, secret_hash(token), request.device, now, now,
                                 now + context_.config.sessions.lifetime.count(), std::nullopt};
  return in_write<protocol::LoginResponse>(context_, [&](Transaction& txn) -> Outcome<protocol::LoginResponse> {
    COFFER_TRY_STATUS(txn.sessions().insert(session));
    COFFER_TRY_STATUS(audit(txn, now, "login_ok", user.name, address, "device " + request.device));
    COFFER_TRY_STATUS(audit(txn, now, "session_created", user.name, address, "session " + session.id));
    return protocol::LoginResponse{token, session.id, session.expires_at, user.id, user.admin};
  });
}

Result<Caller> AuthService::authenticate(std::string_view token, const std::string& address) {
  if (is_link_token(token)) return authenticate_link(context_, token, address);
  if (!protocol::is_hex(token, 64)) return make_error(Errc::unauthenticated, "missing or malformed bearer token");
  const std::int64_t now = context_.clock();
  std::optional<std::string> stale_session;
  auto caller = in_read<Caller>(context_, [&](Transaction& txn) -> Outcome<Caller> {
    auto session = txn.sessions().find_by_token_hash(secret_hash(token));
    if (!session) return session.error();
    if (!*session || (*session)->revoked_at || (*session)->expires_at <= now) {
      return make_error(Errc::unauthenticated, "the session is unknown, expired or revoked");
    }
    auto user = txn.users().find_by_id((*session)->user_id);
    if (!user) return user.error();
    if (!*user || (*user)->disabled) return make_error(Errc::unauthenticated, "the account is disabled");
    if (now - (*session)->last_seen >= kTouchInterval) stale_session = (*session)->id;
    return Caller{(*user)->id,    (*user)->name,  (*user)->admin,       (*session)->id,
                  address,        (*user)->quota, (*user)->used,        (*session)->device, std::nullopt};
  });
  if (!caller) return caller.error();
  if (stale_session) {
    (void)in_write<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
      COFFER_TRY_STATUS(txn.sessions().touch(*stale_session, now));
      return Done{};
    });
  }
  return std::move(caller).value();
}

Outcome<Done> AuthService::logout(const Caller& caller) {
  const std::int64_t now = context_.clock();
  return in_write<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
    COFFER_TRY_STATUS(txn.sessions().revoke(caller.session_id, now));
    COFFER_TRY_STATUS(audit(txn, now, "session_revoked", caller.user, caller.address, "logout " + caller.session_id));
    return Done{};
  });
}

Outcome<protocol::SessionList> AuthService::sessions(const Caller& caller) {
  return in_read<protocol::SessionList>(context_, [&](Transaction& txn) -> Outcome<protocol::SessionList> {
    auto live = txn.sessions().list_live(caller.user_id, context_.clock());
    if (!live) return live.error();
    protocol::SessionList list;
    for (const auto& session : *live) list.sessions.push_back(session_view(session, caller.session_id));
    return list;
  });
}

Outcome<Done> AuthService::revoke_session(const Caller& caller, const std::string& session_id) {
  const std::int64_t now = context_.clock();
  return in_write<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
    auto session = txn.sessions().find(session_id);
    if (!session) return session.error();
    if (!*session || (*session)->user_id != caller.user_id || (*session)->revoked_at || (*session)->expires_at <= now) {
      return make_error(Errc::not_found, "no such session");
    }
    COFFER_TRY_STATUS(txn.sessions().revoke(session_id, now));
    COFFER_TRY_STATUS(audit(txn, now, "session_revoked", caller.user, caller.address, "session " + session_id));
    return Done{};
  });
}

Outcome<protocol::Account> AuthService::account(const Caller& caller) {
  return in_read<protocol::Account>(context_, [&](Transaction& txn) -> Outcome<protocol::Account> {
    auto user = txn.users().find_by_id(caller.user_id);
    if (!user) return user.error();
    if (!*user) return make_error(Errc::unauthenticated, "the account no longer exists");
    const auto& u = **user;
    return protocol::Account{u.name,       u.id,       u.admin,          u.root_node_id, u.key_bundle,
                             u.public_key, u.root_wrapped_key, kdf_view(u.kdf), u.quota,        u.used};
  });
}

Outcome<Done> AuthService::check_proof(const Caller& caller, const std::string& auth_key, const char* event) {
  const std::int64_t now = context_.clock();
  const LoginAttempt attempt{caller.user, caller.address};
  if (auto wait = context_.throttle.retry_after(attempt, now); wait > 0) return retry_later<Done>(wait);
  auto user = in_read<std::optional<storage::UserRecord>>(context_, [&](Transaction& txn) -> Outcome<std::optional<storage::UserRecord>> {
    return txn.users().find_by_id(caller.user_id);
  });
  if (!user) return user.error();
  if (!*user) return make_error(Errc::unauthenticated, "the account no longer exists");
  if (check_auth_verifier((*user)->auth_verifier, auth_key)) {
    context_.throttle.record_success(attempt);
    return Done{};
  }
  const std::int64_t blocked = context_.throttle.record_failure(attempt, now);
  (void)in_write<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
    COFFER_TRY_STATUS(audit(txn, now, event, caller.user, caller.address,
                            failure_detail("wrong current auth key, session " + caller.session_id, blocked)));
    return Done{};
  });
  return make_error(Errc::proof_failed, "the current password (auth_key) is wrong");
}

Outcome<Done> AuthService::change_password(const Caller& caller, const protocol::PasswordChange& request) {
  if (auto proof = check_proof(caller, request.current_auth_key, "password_change_refused"); !proof) return proof;
  auto verifier = make_auth_verifier(request.auth_key);
  if (!verifier) return verifier.error();
  const std::int64_t now = context_.clock();
  return in_write<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
    COFFER_TRY_STATUS(txn.users().update_credentials(caller.user_id, kdf_record(request.kdf), *verifier, request.key_bundle));
    auto revoked = txn.sessions().revoke_all(caller.user_id, caller.session_id, now);
    if (!revoked) return revoked.error();
    COFFER_TRY_STATUS(audit(txn, now, "password_changed", caller.user, caller.address,
                            std::to_string(*revoked) + " other sessions revoked"));
    return Done{};
  });
}

Outcome<protocol::SessionsRevoked> AuthService::revoke_other_sessions(const Caller& caller,
                                                                      const protocol::PasswordProof& request) {
  if (auto proof = check_proof(caller, request.current_auth_key, "sessions_revoke_refused"); !proof) {
    return Outcome<protocol::SessionsRevoked>(proof.error(), proof.details());
  }
  const std::int64_t now = context_.clock();
  return in_write<protocol::SessionsRevoked>(context_, [&](Transaction& txn) -> Outcome<protocol::SessionsRevoked> {
    auto revoked = txn.sessions().revoke_all(caller.user_id, caller.session_id, now);
    if (!revoked) return revoked.error();
    COFFER_TRY_STATUS(audit(txn, now, "sessions_revoked", caller.user, caller.address,
                            std::to_string(*revoked) + " other sessions revoked by session " + caller.session_id));
    return protocol::SessionsRevoked{*revoked};
  });
}

Outcome<Done> AuthService::delete_account(const Caller& caller, const protocol::AccountDeletion& request) {
  if (request.confirm_user != caller.user) {
    return make_error(Errc::invalid_argument, "confirm_user: must be the account's own user name");
  }
  if (auto proof = check_proof(caller, request.current_auth_key, "account_delete_refused"); !proof) return proof;
  return remove_account(context_, caller);
}

Outcome<protocol::RegisterResponse> AuthService::register_user(const protocol::RegisterRequest& request,
                                                               const std::string& address) {
  const std::int64_t now = context_.clock();
  if (auto wait = context_.throttle.retry_after({"", address}, now); wait > 0) {
    return retry_later<protocol::RegisterResponse>(wait);
  }
  auto registered = in_write<protocol::RegisterResponse>(context_, [&](Transaction& txn) -> Outcome<protocol::RegisterResponse> {
    auto invite = txn.users().find_invite(secret_hash(request.invite));
    if (!invite) return invite.error();
    if (!*invite || (*invite)->expires_at <= now) return make_error(Errc::unauthenticated, "unknown or expired invite");
    COFFER_TRY_STATUS(txn.users().remove_invite((*invite)->code_hash));
    NewAccount account{(*invite)->user_name, (*invite)->admin,  request.kdf,          request.auth_key,
                       request.key_bundle,   request.public_key, request.root_node_id, request.root_wrapped_key,
                       request.root_attributes, request.root_folder_record, context_.config.accounts.default_quota};
    auto id = create_account(txn, account, now);
    if (!id) return id.error();
    COFFER_TRY_STATUS(audit(txn, now, "user_registered", account.name, address, "by invite"));
    return protocol::RegisterResponse{account.name};
  });
  if (!registered && registered.error().code == Errc::unauthenticated) {
    (void)context_.throttle.record_failure({"", address}, now);
  }
  return registered;
}

Outcome<protocol::PublicKeyInfo> AuthService::public_key(const Caller&, const std::string& name) {
  return in_read<protocol::PublicKeyInfo>(context_, [&](Transaction& txn) -> Outcome<protocol::PublicKeyInfo> {
    auto user = txn.users().find_by_name(name);
    if (!user) return user.error();
    if (!*user) return make_error(Errc::not_found, "no such user");
    return protocol::PublicKeyInfo{(*user)->name, (*user)->public_key};
  });
}

}  // namespace coffer::server::service
