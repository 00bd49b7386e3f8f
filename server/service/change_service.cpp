#include "server/service/change_service.hpp"

#include "protocol/limits.hpp"
#include "server/acl/access_check.hpp"
#include "server/service/change_notifier.hpp"
#include "server/service/transactions.hpp"
#include "server/service/tree_ops.hpp"

namespace coffer::server::service {
namespace {

using storage::Transaction;

// A change is visible when the caller may read its node, or the folder whose entries changed
// (a removed entry's node may be unreachable now). `shared` and `unshared` rows are the
// grantee's own (owner_id names the grantee) and only theirs, whoever else reads the node.
Result<bool> visible(Transaction& txn, const Caller& caller, const storage::ChangeRecord& change) {
  if (change.owner_id == caller.user_id) return true;
  if (change.kind == kSharedKind || change.kind == kUnsharedKind) return false;
  for (const auto* id : {&change.node_id, change.parent_id ? &*change.parent_id : nullptr}) {
    if (id == nullptr) continue;
    auto node = acl::check_access(txn, caller.user_id, *id, storage::Access::read);
    if (node) return true;
    if (node.error().code != Errc::not_found) return node.error();
  }
  return false;
}

}  // namespace

Outcome<protocol::ChangePage> ChangeService::read_once(const Caller& caller, std::uint64_t cursor) {
  return in_read<protocol::ChangePage>(context_, [&](Transaction& txn) -> Outcome<protocol::ChangePage> {
    auto rows = txn.changes().list_after_for(cursor, caller.user_id, protocol::kMaxChangePage);
    if (!rows) return rows.error();
    protocol::ChangePage page;
    page.cursor = cursor;
    for (const auto& row : *rows) {
      page.cursor = row.cursor;
      auto show = visible(txn, caller, row);
      if (!show) return show.error();
      const bool own = row.session_id == caller.session_id;
      if (*show) page.changes.push_back(protocol::Change{row.cursor, row.node_id, row.parent_id, row.kind, own});
    }
    return page;
  });
}

Outcome<protocol::ChangePage> ChangeService::changes(const Caller& caller, std::optional<std::uint64_t> cursor,
                                                     std::chrono::seconds timeout) {
  if (!cursor) {
    return in_read<protocol::ChangePage>(context_, [&](Transaction& txn) -> Outcome<protocol::ChangePage> {
      auto latest = txn.changes().latest_cursor();
      if (!latest) return latest.error();
      return protocol::ChangePage{{}, *latest};
    });
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto page = read_once(caller, *cursor);
  if (!page || !page->changes.empty() || timeout.count() == 0) return page;
  if (!context_.notifier.try_enter(context_.config.limits.max_long_polls)) return page;
  while (page && page->changes.empty() && std::chrono::steady_clock::now() < deadline) {
    const auto seen = context_.notifier.generation();
    // Read again after taking the generation, so a commit in between is not missed.
    page = read_once(caller, page->cursor);
    if (!page || !page->changes.empty()) break;
    if (!context_.notifier.wait(seen, deadline)) break;
  }
  context_.notifier.leave();
  return page;
}

}  // namespace coffer::server::service
