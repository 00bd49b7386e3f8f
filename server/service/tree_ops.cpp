#include "server/service/tree_ops.hpp"

#include "server/service/views.hpp"

namespace coffer::server::service {
namespace {

constexpr std::size_t kMaxDepth = 100000;

}  // namespace

Status record_change(storage::Transaction& txn, const Caller& by, std::int64_t owner_id, const std::string& node_id,
                     const std::optional<std::string>& parent_id, const char* kind, std::int64_t now) {
  auto cursor = txn.changes().append(storage::ChangeRecord{0, owner_id, node_id, parent_id, kind, now, by.session_id});
  if (!cursor) return cursor.error();
  return {};
}

Status unlink_entry(storage::Transaction& txn, const Caller& by, const storage::EntryRecord& entry, std::int64_t owner_id,
                    std::int64_t now) {
  COFFER_TRY_STATUS(txn.nodes().remove_entry(entry.parent_id, entry.name_tag));
  COFFER_TRY_STATUS(record_change(txn, by, owner_id, entry.node_id, entry.parent_id, "entry_removed", now));
  auto remaining = txn.nodes().count_entries_of(entry.node_id);
  if (!remaining) return remaining.error();
  if (*remaining > 0) return {};
  COFFER_TRY_STATUS(txn.nodes().set_trashed(entry.node_id, now));
  COFFER_TRY_STATUS(txn.nodes().insert_trash(storage::TrashRecord{entry.node_id, now, entry}));
  return record_change(txn, by, owner_id, entry.node_id, std::nullopt, "trashed", now);
}

Status leave_trash(storage::Transaction& txn, const storage::NodeRecord& node) {
  if (!node.trashed_at) return {};
  COFFER_TRY_STATUS(txn.nodes().set_trashed(node.id, std::nullopt));
  return txn.nodes().remove_trash(node.id);
}

Status check_folder_open(const storage::NodeRecord& folder) {
  if (folder.type != storage::NodeType::folder) return make_error(Errc::invalid_argument, "the parent is not a folder");
  if (folder.trashed_at) return make_error(Errc::not_found, "the folder is in the trash");
  return {};
}

Status check_no_cycle(storage::Transaction& txn, const std::string& folder, const std::string& destination) {
  std::string current = destination;
  for (std::size_t depth = 0; depth < kMaxDepth; ++depth) {
    if (current == folder) return make_error(Errc::invalid_argument, "a folder cannot move into itself or below itself");
    auto parents = txn.nodes().entries_of(current);
    if (!parents) return parents.error();
    if (parents->empty()) return {};  // reached a root (or a folder in the trash)
    current = parents->front().parent_id;
  }
  return make_error(Errc::internal, "the folder tree is too deep");
}

protocol::Json existing_entry_details(storage::Transaction& txn, const storage::EntryRecord& existing) {
  auto view = entry_view(txn, existing);
  if (!view) return protocol::Json::object();
  return protocol::Json{{"existing", *view}};
}

}  // namespace coffer::server::service
