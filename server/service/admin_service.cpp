#include "server/service/admin_service.hpp"

#include <map>

#include "config/units.hpp"
#include "server/service/grant_changes.hpp"
#include "server/service/quota.hpp"
#include "server/service/secrets.hpp"
#include "server/service/transactions.hpp"

namespace coffer::server::service {
namespace {

using storage::Transaction;

Status record(Transaction& txn, std::int64_t now, const Actor& actor, const char* event, const std::string& user,
             const std::string& detail) {
  return txn.audit().append(storage::AuditRecord{0, now, event, user, actor.address, "by " + actor.name + detail});
}

Result<storage::UserRecord> find_user(Transaction& txn, const std::string& name) {
  auto user = txn.users().find_by_name(name);
  if (!user) return user.error();
  if (!*user) return make_error(Errc::not_found, "no user named " + name);
  return std::move(**user);
}

}  // namespace

Outcome<protocol::AdminUserList> AdminService::users() {
  return in_read<protocol::AdminUserList>(context_, [&](Transaction& txn) -> Outcome<protocol::AdminUserList> {
    auto users = txn.users().list();
    if (!users) return users.error();
    auto invites = txn.users().list_invites();
    if (!invites) return invites.error();
    protocol::AdminUserList list;
    for (const auto& u : *users) {
      const UsageView usage = usage_of(u);  // the same numbers GET /v1/usage gives the user
      list.users.push_back(
          protocol::AdminUser{u.name, u.id, u.admin, u.disabled, false, u.created_at, usage.quota, usage.used});
    }
    for (const auto& invite : *invites) {
      list.users.push_back(protocol::AdminUser{invite.user_name, 0, invite.admin, false, true, invite.created_at,
                                               std::nullopt, 0});
    }
    return list;
  });
}

Outcome<protocol::ServerStats> AdminService::stats() {
  return in_read<protocol::ServerStats>(context_, [&](Transaction& txn) -> Outcome<protocol::ServerStats> {
    auto stats = txn.stats(context_.clock());
    if (!stats) return stats.error();
    return protocol::ServerStats{stats->users, stats->sessions, stats->nodes, stats->versions, stats->blobs, stats->bytes,
                                 stats->links};
  });
}

Outcome<protocol::AuditList> AdminService::audit(std::int64_t since, std::size_t limit) {
  return in_read<protocol::AuditList>(context_, [&](Transaction& txn) -> Outcome<protocol::AuditList> {
    auto records = txn.audit().list_since(since, limit);
    if (!records) return records.error();
    protocol::AuditList list;
    for (const auto& r : *records) list.events.push_back(protocol::AuditEvent{r.id, r.at, r.event, r.user, r.address, r.detail});
    return list;
  });
}

Outcome<std::int64_t> AdminService::add_user(const Actor& actor, const NewAccount& account) {
  const std::int64_t now = context_.clock();
  return in_write<std::int64_t>(context_, [&](Transaction& txn) -> Outcome<std::int64_t> {
    auto id = create_account(txn, account, now);
    if (!id) return id.error();
    COFFER_TRY_STATUS(record(txn, now, actor, "admin_user_add", account.name, account.admin ? " (admin)" : ""));
    return *id;
  });
}

Outcome<std::string> AdminService::invite(const Actor& actor, const std::string& name, bool admin) {
  const std::int64_t now = context_.clock();
  const std::string code = new_invite_code();
  return in_write<std::string>(context_, [&](Transaction& txn) -> Outcome<std::string> {
    auto existing = txn.users().find_by_name(name);
    if (!existing) return existing.error();
    if (*existing) return make_error(Errc::already_exists, "the user name is taken");
    auto invited = txn.users().find_invite_for(name);
    if (!invited) return invited.error();
    if (*invited) COFFER_TRY_STATUS(txn.users().remove_invite((*invited)->code_hash));  // a new code replaces it
    const auto expires = now + context_.config.accounts.invite_lifetime.count();
    COFFER_TRY_STATUS(txn.users().insert_invite(storage::InviteRecord{secret_hash(code), name, admin, now, expires}));
    COFFER_TRY_STATUS(record(txn, now, actor, "admin_user_invite", name, admin ? " (admin)" : ""));
    return code;
  });
}

Outcome<Done> AdminService::set_disabled(const Actor& actor, const std::string& name, bool disabled) {
  const std::int64_t now = context_.clock();
  return in_write<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
    auto user = find_user(txn, name);
    if (!user) return user.error();
    COFFER_TRY_STATUS(txn.users().set_disabled(user->id, disabled));
    if (disabled) {
      auto revoked = txn.sessions().revoke_all(user->id, std::nullopt, now);
      if (!revoked) return revoked.error();
      COFFER_TRY_STATUS(revoke_grants_of(txn, *user, false, "admin", actor.address, now));
    }
    COFFER_TRY_STATUS(record(txn, now, actor, disabled ? "admin_user_disable" : "admin_user_enable", name, ""));
    return Done{};
  });
}

Outcome<Done> AdminService::remove_user(const Actor& actor, const std::string& name) {
  const std::int64_t now = context_.clock();
  return in_write<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
    auto user = find_user(txn, name);
    if (!user) {
      auto invited = txn.users().find_invite_for(name);
      if (!invited || !*invited) return user.error();
      COFFER_TRY_STATUS(txn.users().remove_invite((*invited)->code_hash));
    } else {
      // The files of the blobs this frees stay for gc: coffer-admin runs beside cofferd, which
      // could publish the same bytes again between this commit and an unlink here.
      COFFER_TRY_STATUS(revoke_grants_of(txn, *user, true, "admin", actor.address, now));
      COFFER_TRY_STATUS(txn.users().remove(user->id));
    }
    COFFER_TRY_STATUS(record(txn, now, actor, "admin_user_delete", name, ""));
    return Done{};
  });
}

Outcome<Done> AdminService::set_quota(const Actor& actor, const std::string& name, std::optional<std::uint64_t> quota) {
  const std::int64_t now = context_.clock();
  return in_write<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
    auto user = find_user(txn, name);
    if (!user) return user.error();
    COFFER_TRY_STATUS(txn.users().set_quota(user->id, quota));
    const std::string shown = quota ? config::format_size(*quota) : "unlimited";
    COFFER_TRY_STATUS(record(txn, now, actor, "admin_user_quota", name, ", quota " + shown));
    return Done{};
  });
}

Outcome<std::vector<SessionSummary>> AdminService::sessions(const std::optional<std::string>& user) {
  return in_read<std::vector<SessionSummary>>(context_, [&](Transaction& txn) -> Outcome<std::vector<SessionSummary>> {
    std::optional<std::int64_t> user_id;
    if (user) {
      auto found = find_user(txn, *user);
      if (!found) return found.error();
      user_id = found->id;
    }
    auto live = txn.sessions().list_live(user_id, context_.clock());
    if (!live) return live.error();
    std::map<std::int64_t, std::string> names;
    std::vector<SessionSummary> out;
    for (auto& session : *live) {
      if (!names.contains(session.user_id)) {
        auto owner = txn.users().find_by_id(session.user_id);
        if (!owner) return owner.error();
        names[session.user_id] = *owner ? (*owner)->name : "?";
      }
      out.push_back(SessionSummary{std::move(session), names[session.user_id]});
    }
    return out;
  });
}

Outcome<Done> AdminService::revoke_session(const Actor& actor, const std::string& session_id) {
  const std::int64_t now = context_.clock();
  return in_write<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
    auto session = txn.sessions().find(session_id);
    if (!session) return session.error();
    if (!*session) return make_error(Errc::not_found, "no such session");
    auto owner = txn.users().find_by_id((*session)->user_id);
    if (!owner) return owner.error();
    COFFER_TRY_STATUS(txn.sessions().revoke(session_id, now));
    COFFER_TRY_STATUS(record(txn, now, actor, "session_revoked", *owner ? (*owner)->name : "?", ", session " + session_id));
    return Done{};
  });
}

}  // namespace coffer::server::service
