#include "server/service/trash_service.hpp"

#include <map>

#include "server/acl/access_check.hpp"
#include "server/service/transactions.hpp"
#include "server/service/tree_ops.hpp"
#include "server/service/views.hpp"

namespace coffer::server::service {
namespace {

using storage::Transaction;

// Trees purged per write transaction: each tree's rows go in one, so a huge tree still takes
// one; many small ones leave the write lock to others between batches.
constexpr std::size_t kPurgeBatch = 200;

protocol::TrashItem trash_item(const storage::TrashItem& item, const std::string& owner) {
  const auto& entry = item.trash.last_entry;
  return protocol::TrashItem{node_view(item.node, owner, 0), item.trash.trashed_at, entry.parent_id, entry.name,
                             entry.name_tag, entry.wrapped_key, item.parent_in_trash, owner};
}

// A node in another owner's trash is listed to a grantee who may read it: one whose last folder
// is in a share of theirs (acl::check_access walks up through the trash row).
Result<bool> listed_for(Transaction& txn, const Caller& caller, const storage::TrashItem& item) {
  if (item.node.owner_id == caller.user_id) return true;
  auto node = acl::check_access(txn, caller.user_id, item.node.id, storage::Access::read);
  if (node) return true;
  if (node.error().code == Errc::not_found) return false;
  return node.error();
}

// Owners' names, each read once per listing.
Result<std::string> owner_name(Transaction& txn, std::map<std::int64_t, std::string>& names, std::int64_t owner_id) {
  if (auto known = names.find(owner_id); known != names.end()) return known->second;
  auto owner = txn.users().find_by_id(owner_id);
  if (!owner) return owner.error();
  return names[owner_id] = *owner ? (*owner)->name : std::string();
}

// Purges the trees of `roots` and writes a `purged` change for every node that went.
Status purge_trees(Transaction& txn, const Caller& by, const std::vector<std::string>& roots, std::int64_t now,
                   TrashService::Purged& purged) {
  auto result = txn.trash().purge(roots);
  if (!result) return result.error();
  for (const auto& node : result->nodes) {
    COFFER_TRY_STATUS(record_change(txn, by, node.owner_id, node.node_id, std::nullopt, "purged", now));
  }
  purged.nodes += result->nodes.size();
  purged.versions += result->versions;
  purged.unreferenced_blobs += result->unreferenced_blobs;
  purged.unreferenced_bytes += result->unreferenced_bytes;
  return {};
}

// One batch of the oldest trees trashed before `before`; false when there were none left.
Result<bool> purge_batch(Transaction& txn, const Caller& by, std::optional<std::int64_t> owner,
                         std::optional<std::int64_t> before, std::int64_t now, TrashService::Purged& purged) {
  auto roots = txn.trash().trashed_before(owner, before, kPurgeBatch);
  if (!roots) return roots.error();
  if (roots->empty()) return false;
  COFFER_TRY_STATUS(purge_trees(txn, by, *roots, now, purged));
  return roots->size() == kPurgeBatch;
}

}  // namespace

Outcome<protocol::TrashPage> TrashService::list(const Caller& caller, const std::string& after, std::size_t limit) {
  return in_read<protocol::TrashPage>(context_, [&](Transaction& txn) -> Outcome<protocol::TrashPage> {
    auto items = txn.trash().list(caller.user_id, after, limit + 1);
    if (!items) return items.error();
    protocol::TrashPage page;
    std::map<std::int64_t, std::string> owners{{caller.user_id, caller.user}};
    for (std::size_t i = 0; i < items->size() && i < limit; ++i) {
      const auto& item = (*items)[i];
      auto listed = listed_for(txn, caller, item);
      if (!listed) return listed.error();
      if (!*listed) continue;
      auto owner = owner_name(txn, owners, item.node.owner_id);
      if (!owner) return owner.error();
      page.items.push_back(trash_item(item, *owner));
    }
    // The last row looked at: rows of others the caller may not read are skipped, not counted.
    if (items->size() > limit) page.next = (*items)[limit - 1].node.id;
    return page;
  });
}

Outcome<Done> TrashService::purge(const Caller& caller, const std::string& node_id) {
  return in_write<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
    auto node = acl::check_own_trash(txn, caller.user_id, node_id);
    if (!node) return node.error();
    Purged purged;
    COFFER_TRY_STATUS(purge_trees(txn, caller, {node_id}, context_.clock(), purged));
    return Done{};
  });
}

Outcome<protocol::EmptyTrashResponse> TrashService::empty(const Caller& caller, std::optional<std::int64_t> older_than) {
  auto purged = purge_older(caller, caller.user_id, older_than, false);
  if (!purged) return Outcome<protocol::EmptyTrashResponse>(purged.error(), purged.details());
  return protocol::EmptyTrashResponse{purged->nodes};
}

Outcome<TrashService::Purged> TrashService::expire(std::int64_t before, bool dry_run) {
  // The server's own change: no session makes it, so every device hears of it.
  return purge_older(Caller{}, std::nullopt, before, dry_run);
}

Outcome<TrashService::Purged> TrashService::purge_older(const Caller& by, std::optional<std::int64_t> owner,
                                                        std::optional<std::int64_t> before, bool dry_run) {
  Purged purged;
  const std::int64_t now = context_.clock();
  if (dry_run) {
    auto txn = context_.metadata.begin(storage::TransactionMode::write);
    if (!txn) return txn.error();
    for (;;) {
      auto more = purge_batch(**txn, by, owner, before, now, purged);
      if (!more) return more.error();
      if (!*more) return purged;
    }
  }
  for (bool more = true; more;) {
    auto batch = in_write<bool>(context_, [&](Transaction& txn) -> Outcome<bool> {
      return purge_batch(txn, by, owner, before, now, purged);
    });
    if (!batch) return Outcome<Purged>(batch.error(), batch.details());
    more = *batch;
  }
  return purged;
}

}  // namespace coffer::server::service
