#include "server/service/move_operation.hpp"

#include "server/acl/access_check.hpp"
#include "server/service/tree_ops.hpp"
#include "server/service/views.hpp"

namespace coffer::server::service {
namespace {

using storage::Access;
using storage::NodeType;

Result<storage::NodeRecord> load(storage::Transaction& txn, const std::string& id) {
  auto node = txn.nodes().find(id);
  if (!node) return node.error();
  if (!*node) return make_error(Errc::not_found, "no such node");
  return std::move(**node);
}

}  // namespace

Status MoveOperation::check_destination(const storage::NodeRecord& node, const std::string& destination) {
  COFFER_TRY_STATUS(check_folder_open(destination_));
  if (node.owner_id != destination_.owner_id) {
    return make_error(Errc::cross_device, "entries cannot move between trees of different owners; copy instead");
  }
  if (node.type == NodeType::folder) return check_no_cycle(txn_, node.id, destination);
  return {};
}

// Moves the entry `from` to the place and name of `to` (same node), recording the change.
Status MoveOperation::place(const storage::EntryRecord& from, const storage::EntryRecord& to, std::int64_t owner_id) {
  COFFER_TRY_STATUS(txn_.nodes().remove_entry(from.parent_id, from.name_tag));
  COFFER_TRY_STATUS(txn_.nodes().insert_entry(to));
  if (from.parent_id != to.parent_id) {
    COFFER_TRY_STATUS(record_change(txn_, caller_, owner_id, from.node_id, from.parent_id, "entry_removed", now_));
  }
  return record_change(txn_, caller_, owner_id, to.node_id, to.parent_id, "moved", now_);
}

Status MoveOperation::replace_target(const storage::NodeRecord& source, const storage::EntryRecord& target) {
  auto target_node = load(txn_, target.node_id);
  if (!target_node) return target_node.error();
  const bool source_is_folder = source.type == NodeType::folder;
  const bool target_is_folder = target_node->type == NodeType::folder;
  if (source_is_folder != target_is_folder) {
    // rename(2): ENOTDIR for a folder over a file, EISDIR for a file over a folder.
    if (source_is_folder) return make_error(Errc::not_a_directory, "a folder cannot replace a file");
    return make_error(Errc::is_a_directory, "a file cannot replace a folder");
  }
  if (target_is_folder) {
    auto busy = txn_.nodes().has_children(target.node_id);
    if (!busy) return busy.error();
    if (*busy) return make_error(Errc::not_empty, "the folder to replace is not empty");
  }
  return unlink_entry(txn_, caller_, target, target_node->owner_id, now_);
}

Outcome<protocol::Entry> MoveOperation::exchange(const storage::EntryRecord& source, const storage::EntryRecord& target,
                                                 const protocol::MoveRequest& request) {
  auto target_node = load(txn_, target.node_id);
  if (!target_node) return target_node.error();
  if (target_node->type == NodeType::folder && source.parent_id != target.parent_id) {
    COFFER_TRY_STATUS(check_no_cycle(txn_, target_node->id, source.parent_id));
  }
  const storage::EntryRecord moved{target.parent_id, target.name_tag, source.node_id, request.name, request.wrapped_key, now_};
  const storage::EntryRecord swapped{source.parent_id, *request.exchange_name_tag, target.node_id,
                                     *request.exchange_name, *request.exchange_wrapped_key, now_};
  COFFER_TRY_STATUS(txn_.nodes().remove_entry(source.parent_id, source.name_tag));
  COFFER_TRY_STATUS(txn_.nodes().remove_entry(target.parent_id, target.name_tag));
  COFFER_TRY_STATUS(txn_.nodes().insert_entry(moved));
  auto inserted = txn_.nodes().insert_entry(swapped);
  if (!inserted) {
    if (inserted.error().code == Errc::already_exists) return make_error(Errc::already_exists, "exchange_name_tag is taken");
    return inserted.error();
  }
  COFFER_TRY_STATUS(record_change(txn_, caller_, destination_.owner_id, moved.node_id, moved.parent_id, "moved", now_));
  COFFER_TRY_STATUS(record_change(txn_, caller_, destination_.owner_id, swapped.node_id, swapped.parent_id, "moved", now_));
  return entry_view(txn_, moved);
}

Outcome<protocol::Entry> MoveOperation::run(const std::string& parent_id, const std::string& name_tag,
                                            const protocol::MoveRequest& request) {
  auto source_parent = acl::check_access(txn_, caller_.user_id, parent_id, Access::write);
  if (!source_parent) return source_parent.error();
  auto destination = acl::check_access(txn_, caller_.user_id, request.new_parent_id, Access::write);
  if (!destination) return destination.error();
  destination_ = std::move(*destination);
  auto source = txn_.nodes().find_entry(parent_id, name_tag);
  if (!source) return source.error();
  if (!*source) return make_error(Errc::not_found, "no such entry");
  auto node = load(txn_, (*source)->node_id);
  if (!node) return node.error();
  COFFER_TRY_STATUS(check_destination(*node, request.new_parent_id));
  auto target = txn_.nodes().find_entry(request.new_parent_id, request.name_tag);
  if (!target) return target.error();
  const bool same_place = *target && (*target)->parent_id == parent_id && (*target)->name_tag == name_tag;
  if (*target && !same_place) {
    if (request.mode == "exchange") return exchange(**source, **target, request);
    if (request.mode == "noreplace") return name_taken<protocol::Entry>(txn_, **target);
    // rename(2): when both names are links to the same file, nothing happens.
    if ((*target)->node_id == node->id) return entry_view(txn_, **source);
    COFFER_TRY_STATUS(replace_target(*node, **target));
  } else if (request.mode == "exchange" && !same_place) {
    return make_error(Errc::not_found, "no entry to exchange with");
  }
  const storage::EntryRecord moved{request.new_parent_id, request.name_tag, node->id, request.name, request.wrapped_key, now_};
  COFFER_TRY_STATUS(place(**source, moved, node->owner_id));
  return entry_view(txn_, moved);
}

}  // namespace coffer::server::service
