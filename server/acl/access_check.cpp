#include "server/acl/access_check.hpp"

#include <deque>
#include <unordered_set>

namespace coffer::server::acl {
namespace {

using storage::Access;

// Bounds the walk up the tree; a real tree is far shallower, and the server never lets a
// folder become its own ancestor.
constexpr std::size_t kMaxNodesVisited = 100000;

// The strongest grant for `user_id` on `start` or any of its ancestors.
Result<std::optional<Access>> strongest_grant(storage::Transaction& txn, std::int64_t user_id, const std::string& start) {
  std::optional<Access> best;
  std::deque<std::string> pending{start};
  std::unordered_set<std::string> visited{start};
  while (!pending.empty() && best != Access::write) {
    if (visited.size() > kMaxNodesVisited) return make_error(Errc::internal, "the folder tree is too deep");
    const std::string node_id = std::move(pending.front());
    pending.pop_front();
    auto grant = txn.grants().find(node_id, user_id);
    if (!grant) return grant.error();
    if (*grant && (!best || (*grant)->access == Access::write)) best = (*grant)->access;
    auto parents = txn.nodes().entries_of(node_id);
    if (!parents) return parents.error();
    for (auto& entry : *parents) {
      if (visited.insert(entry.parent_id).second) pending.push_back(std::move(entry.parent_id));
    }
  }
  return best;
}

}  // namespace

Result<std::optional<Access>> effective_access(storage::Transaction& txn, std::int64_t user_id,
                                               const storage::NodeRecord& node) {
  if (node.owner_id == user_id) return std::optional<Access>(Access::write);
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
  if (need == Access::write && **access != Access::write) {
    return make_error(Errc::permission_denied, "read-only access to this node");
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
