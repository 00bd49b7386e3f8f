#include "server/service/account_removal.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "server/service/change_notifier.hpp"
#include "server/service/grant_changes.hpp"

namespace coffer::server::service {
namespace {

using storage::Transaction;

// Another admin who can still use the admin routes: a disabled one cannot.
Result<bool> other_admin_exists(Transaction& txn, std::int64_t user_id) {
  auto users = txn.users().list();
  if (!users) return users.error();
  return std::any_of(users->begin(), users->end(),
                     [&](const storage::UserRecord& user) { return user.admin && !user.disabled && user.id != user_id; });
}

// The account's rows, in the open transaction; the ids of the blobs whose rows went with them.
Result<std::vector<std::string>> remove_rows(Transaction& txn, const Caller& caller, std::int64_t now) {
  auto user = txn.users().find_by_id(caller.user_id);
  if (!user) return user.error();
  if (!*user) return make_error(Errc::unauthenticated, "the account no longer exists");
  if ((*user)->admin) {
    auto others = other_admin_exists(txn, caller.user_id);
    if (!others) return others.error();
    if (!*others) {
      return make_error(Errc::last_admin, "this is the only admin account; make another admin first "
                                          "(coffer-admin user add NAME --admin)");
    }
  }
  COFFER_TRY_STATUS(revoke_grants_of(txn, **user, true, "account_deletion", caller.address, now));
  auto freed = txn.users().remove(caller.user_id);
  if (!freed) return freed.error();
  const std::string detail = "session " + caller.session_id + ", " + std::to_string(freed->size()) + " blobs freed";
  COFFER_TRY_STATUS(txn.audit().append(storage::AuditRecord{0, now, "account_deleted", caller.user, caller.address, detail}));
  return freed;
}

}  // namespace

Outcome<Done> remove_account(Context& context, const Caller& caller) {
  auto txn = context.metadata.begin(storage::TransactionMode::write);
  if (!txn) return txn.error();
  auto freed = remove_rows(**txn, caller, context.clock());
  if (!freed) return freed.error();
  COFFER_TRY_STATUS((*txn)->commit());
  context.notifier.notify();
  // The account is gone whatever happens to the files now: a file left behind is named by no
  // row, so nobody can read it, and the next upload of the same bytes rewrites it; gc reclaims it.
  if (auto removed = context.blobs.remove_many(*freed); !removed) {
    spdlog::warn("account {} deleted; some of its {} blob files stay for gc: {}", caller.user, freed->size(),
                 removed.error().message);
  }
  return Done{};
}

}  // namespace coffer::server::service
