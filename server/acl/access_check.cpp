#include "server/acl/access_check.hpp"

#include <deque>
#include <unordered_set>
#include <vector>

namespace coffer::server::acl {
namespace {

using storage::Access;

// Bounds the walk up the tree; a real tree is far shallower, and the server never lets a
// folder become its own ancestor.
constexpr std::size_t kMaxNodesVisited = 100000;

// The folders above `node_id`: the folder of each of its entries, or, for a node in the trash
// (which has none), the folder that last held it, so a grantee reaches what was deleted in a
// shared folder as the owner does (docs/server.md, "Sharing").
Result<std::vector<std::string>> folders_above(storage::Transaction& txn, const std::string& node_id) {
  auto entries = txn.nodes().entries_of(node_id);
  if (!entries) return entries.error();
  std::vector<std::string> folders;
  for (auto& entry : *entries) folders.push_back(std::move(entry.parent_id));
  if (!folders.empty()) return folders;
  auto trash = txn.nodes().find_trash(node_id);
  if (!trash) return trash.error();
  if (*trash) folders.push_back(std::move((*trash)->last_entry.parent_id));
  return folders;
}

// The strongest grant for `user_id` on `start` or any of its ancestors.
Result<std::optional<Access>> strongest_grant(storage::Transaction& txn, std::int64_t user_id, const std::string& start) {
  std::optional<Access> best;
  std::deque<std::string> pending{start};
  std::unordered_set<std::string> visited{start};
  while (!pending.empty() && best != Access::manage) {
    if (visited.size() > kMaxNodesVisited) return make_error(Errc::internal, "the folder tree is too deep");
    const std::string node_id = std::move(pending.front());
    pending.pop_front();
    auto grant = txn.grants().find(node_id, user_id);
    if (!grant) return grant.error();
    if (*grant && (!best || storage::includes((*grant)->access, *best))) best = (*grant)->access;
    auto parents = folders_above(txn, node_id);
    if (!parents) return parents.error();
    for (auto& parent : *parents) {
      if (visited.insert(parent).second) pending.push_back(std::move(parent));
    }
  }
  return best;
}

}  // namespace

Result<std::optional<Access>> effective_access(storage::Transaction& txn, std::int64_t user_id,
                                               const storage::NodeRecord& node) {
  if (node.owner_id == user_id) return std::optional<Access>(Access::manage);
  auto has_grants = txn.grants().has_any(user_id);
  if (!has_grants) return has_grants.error();
  if (!*has_grants) return std::optional<Access>();
  return strongest_grant(txn, user_id, node.id);
}

Result<storage::NodeRecord> check_access(storage::Transaction& txn, std::int64_t user_id, const std::string& node_id,
                                         Access need) {
  auto node = txn.nodes().find(node_id);
  if (!node) return node.error();
  if (!*node) return make_error(Errc::not_found, "no such node");
  auto access = effective_access(txn, user_id, **node);
  if (!access) return access.error();
  if (!*access) return make_error(Errc::not_found, "no such node");
  if (!storage::includes(**access, need)) {
    return make_error(Errc::permission_denied, **access == Access::read ? "read-only access to this node"
                                                                          : "this needs the manage role on the node");
  }
  return std::move(**node);
}

Result<storage::NodeRecord> check_own_trash(storage::Transaction& txn, std::int64_t user_id, const std::string& node_id) {
  auto node = txn.nodes().find(node_id);
  if (!node) return node.error();
  if (!*node || (*node)->owner_id != user_id || !(*node)->trashed_at) return make_error(Errc::not_found, "not in your trash");
  return std::move(**node);
}

}  // namespace coffer::server::acl
