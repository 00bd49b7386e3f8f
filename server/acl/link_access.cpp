#include "server/acl/link_access.hpp"

#include <deque>
#include <unordered_set>

#include "server/acl/access_check.hpp"

namespace coffer::server::acl {
namespace {

Error link_not_found() { return make_error(Errc::not_found, "no such link"); }

}  // namespace

Result<storage::NodeRecord> check_link_usable(storage::Transaction& txn, const storage::LinkRecord& link) {
  auto node = txn.nodes().find(link.node_id);
  if (!node) return node.error();
  if (!*node || (*node)->trashed_at) return link_not_found();
  const auto wanted = link.kind == "folder" ? storage::NodeType::folder : storage::NodeType::file;
  if ((*node)->type != wanted) return link_not_found();
  auto access = effective_access(txn, link.creator_id, **node);
  if (!access) return access.error();
  if (!*access || **access != storage::Access::manage) return link_not_found();
  return std::move(**node);
}

Result<bool> link_reaches(storage::Transaction& txn, const storage::LinkRecord& link, const std::string& node_id) {
  if (node_id == link.node_id) return true;
  if (link.kind != "folder") return false;
  std::deque<std::string> pending{node_id};
  std::unordered_set<std::string> visited{node_id};
  while (!pending.empty()) {
    if (visited.size() > kMaxLinkWalk) return false;
    const std::string current = std::move(pending.front());
    pending.pop_front();
    auto entries = txn.nodes().entries_of(current);
    if (!entries) return entries.error();
    for (auto& entry : *entries) {
      if (entry.parent_id == link.node_id) return true;
      if (visited.insert(entry.parent_id).second) pending.push_back(std::move(entry.parent_id));
    }
  }
  return false;
}

Result<storage::NodeRecord> check_link_access(storage::Transaction& txn, const storage::LinkRecord& link,
                                              const std::string& node_id) {
  auto root = check_link_usable(txn, link);
  if (!root) return root.error();
  if (node_id == link.node_id) return root;
  auto reaches = link_reaches(txn, link, node_id);
  if (!reaches) return reaches.error();
  if (!*reaches) return make_error(Errc::not_found, "no such node");
  auto node = txn.nodes().find(node_id);
  if (!node) return node.error();
  if (!*node) return make_error(Errc::not_found, "no such node");
  return std::move(**node);
}

}  // namespace coffer::server::acl
