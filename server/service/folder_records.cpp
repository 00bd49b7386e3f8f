#include "server/service/folder_records.hpp"

#include <set>

#include "server/acl/access_check.hpp"

namespace coffer::server::service {
namespace {

constexpr std::size_t kChangePage = 10000;

Error missing_record(const std::string& folder_id) {
  return make_error(Errc::invalid_argument, "folders: the request changes the entries of folder " + folder_id +
                                                " but carries no new record for it");
}

}  // namespace

Outcome<Done> FolderRecords::check_bases() {
  auto cursor = txn_.changes().latest_cursor();
  if (!cursor) return cursor.error();
  start_cursor_ = *cursor;
  for (const auto& update : updates_) {
    auto found = txn_.nodes().find(update.node_id);
    if (!found) return found.error();
    if (!*found) {
      if (update.base_revision == 0) continue;  // created by this request; checked in apply()
      return make_error(Errc::not_found, "folders: no such folder " + update.node_id);
    }
    auto folder = acl::check_access(txn_, caller_.user_id, update.node_id, storage::Access::write);
    if (!folder) return folder.error();
    if (folder->type != storage::NodeType::folder) {
      return make_error(Errc::invalid_argument, "folders: " + update.node_id + " is not a folder");
    }
    if (folder->folder_revision != update.base_revision) {
      return Outcome<Done>(make_error(Errc::conflict, "folder " + update.node_id + " is at revision " +
                                                          std::to_string(folder->folder_revision) +
                                                          ", not at base_revision"),
                           protocol::Json{{"folder_id", update.node_id}, {"current_revision", folder->folder_revision}});
    }
  }
  return Done{};
}

// Every change to an entry is in the change feed with the folder it touched (tree_ops.hpp);
// writes are serialized, so the rows after start_cursor_ are this request's.
Result<std::vector<std::string>> FolderRecords::changed_folders() {
  std::set<std::string> folders;
  std::uint64_t cursor = start_cursor_;
  for (;;) {
    auto changes = txn_.changes().list_after(cursor, kChangePage);
    if (!changes) return changes.error();
    for (const auto& change : *changes) {
      if (change.parent_id) folders.insert(*change.parent_id);
      if (change.kind != "created") continue;
      auto node = txn_.nodes().find(change.node_id);
      if (!node) return node.error();
      if (*node && (*node)->type == storage::NodeType::folder) folders.insert(change.node_id);
    }
    if (changes->size() < kChangePage) break;
    cursor = changes->back().cursor;
  }
  return std::vector<std::string>(folders.begin(), folders.end());
}

Outcome<Done> FolderRecords::apply() {
  auto changed = changed_folders();
  if (!changed) return changed.error();
  std::set<std::string> updated;
  for (const auto& update : updates_) updated.insert(update.node_id);
  for (const auto& folder : *changed) {
    if (!updated.erase(folder)) return missing_record(folder);
  }
  if (!updated.empty()) {
    return make_error(Errc::invalid_argument,
                      "folders: the request does not change the entries of folder " + *updated.begin());
  }
  for (const auto& update : updates_) {
    auto folder = txn_.nodes().find(update.node_id);
    if (!folder) return folder.error();
    if (!*folder || (*folder)->folder_revision != update.base_revision) {
      return make_error(Errc::invalid_argument, "folders: folder " + update.node_id + " is not at base_revision");
    }
    COFFER_TRY_STATUS(txn_.nodes().set_folder_record(update.node_id, update.revision, update.record));
  }
  return Done{};
}

}  // namespace coffer::server::service
