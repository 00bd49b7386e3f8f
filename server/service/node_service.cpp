#include "server/service/node_service.hpp"

#include "server/acl/access_check.hpp"
#include "server/service/folder_records.hpp"
#include "server/service/move_operation.hpp"
#include "server/service/quota.hpp"
#include "server/service/read_access.hpp"
#include "server/service/transactions.hpp"
#include "server/service/tree_ops.hpp"
#include "server/service/views.hpp"

namespace coffer::server::service {
namespace {

using storage::Access;
using storage::Transaction;

// Folders have exactly one entry (DESIGN.md section 2); symlinks have one too (docs/api.md).
bool can_have_links(storage::NodeType type) {
  return type == storage::NodeType::file || type == storage::NodeType::special;
}

Error cross_owner() {
  return make_error(Errc::cross_device, "entries cannot join trees of different owners; copy instead");
}

// One change to entries in its own transaction, with the records of the folders it changes.
template <class T, class Op>
Outcome<T> with_folder_records(Context& context, const Caller& caller, const NodeService::Folders& folders, Op&& op) {
  return in_write<T>(context, [&](Transaction& txn) -> Outcome<T> {
    FolderRecords records(txn, caller, folders);
    if (auto checked = records.check_bases(); !checked) return Outcome<T>(checked.error(), checked.details());
    Outcome<T> outcome = explain_quota(txn, caller.user_id, op(txn));
    if (!outcome) return outcome;
    if (auto applied = explain_quota(txn, caller.user_id, records.apply()); !applied) {
      return Outcome<T>(applied.error(), applied.details());
    }
    return outcome;
  });
}

}  // namespace

Outcome<protocol::Entry> NodeService::create_in(Transaction& txn, const Caller& caller,
                                                const protocol::CreateNodeRequest& request) {
  auto parent = acl::check_access(txn, caller.user_id, request.parent_id, Access::write);
  if (!parent) return parent.error();
  COFFER_TRY_STATUS(check_folder_open(*parent));
  auto existing = txn.nodes().find_entry(request.parent_id, request.name_tag);
  if (!existing) return existing.error();
  if (*existing) return name_taken<protocol::Entry>(txn, **existing);
  auto id_used = txn.nodes().find(request.node_id);
  if (!id_used) return id_used.error();
  if (*id_used) return make_error(Errc::already_exists, "the node id is in use");
  const std::int64_t now = context_.clock();
  const storage::NodeRecord node{request.node_id,
                                 parent->owner_id,
                                 *storage::node_type_from_name(request.type),
                                 request.attributes,
                                 request.attributes_revision,
                                 0,
                                 0,
                                 now,
                                 std::nullopt,
                                 0,
                                 {}};
  const storage::EntryRecord entry{request.parent_id, request.name_tag, request.node_id, request.name,
                                   request.wrapped_key, now};
  COFFER_TRY_STATUS(txn.nodes().insert(node));
  COFFER_TRY_STATUS(txn.nodes().insert_entry(entry));
  COFFER_TRY_STATUS(record_change(txn, caller, node.owner_id, node.id, entry.parent_id, "created", now));
  if (node.owner_id != caller.user_id) return entry_view(txn, entry);
  return protocol::Entry{entry.parent_id, entry.name, entry.name_tag, entry.wrapped_key, node_view(node, caller.user, 1)};
}

Outcome<protocol::Entry> NodeService::create(const Caller& caller, const protocol::CreateNodeRequest& request,
                                             const Folders& folders) {
  return with_folder_records<protocol::Entry>(context_, caller, folders,
                                              [&](Transaction& txn) { return create_in(txn, caller, request); });
}

Outcome<protocol::Node> NodeService::get(const Caller& caller, const std::string& node_id) {
  return in_read<protocol::Node>(context_, [&](Transaction& txn) -> Outcome<protocol::Node> {
    auto node = check_read(txn, caller, node_id);
    if (!node) return node.error();
    return node_view(txn, *node);
  });
}

Outcome<protocol::EntryPage> NodeService::list(const Caller& caller, const std::string& parent_id,
                                               const std::string& after, std::size_t limit) {
  return in_read<protocol::EntryPage>(context_, [&](Transaction& txn) -> Outcome<protocol::EntryPage> {
    auto parent = check_read(txn, caller, parent_id);
    if (!parent) return parent.error();
    if (parent->type != storage::NodeType::folder) return make_error(Errc::invalid_argument, "not a folder");
    auto children = txn.nodes().list_children(parent_id, after, limit + 1);
    if (!children) return children.error();
    protocol::EntryPage page;
    for (std::size_t i = 0; i < children->size() && i < limit; ++i) {
      auto view = entry_view(txn, (*children)[i]);
      if (!view) return view.error();
      page.entries.push_back(std::move(*view));
    }
    if (children->size() > limit) page.next = page.entries.back().name_tag;
    page.folder = protocol::FolderState{parent->folder_revision, parent->folder_record};
    return page;
  });
}

Outcome<protocol::PastEntryPage> NodeService::list_at(const Caller& caller, const std::string& parent_id,
                                                     std::int64_t at, const std::string& after, std::size_t limit) {
  if (caller.link) return make_error(Errc::permission_denied, "a link does not show a folder's past");
  return in_read<protocol::PastEntryPage>(context_, [&](Transaction& txn) -> Outcome<protocol::PastEntryPage> {
    auto parent = acl::check_access(txn, caller.user_id, parent_id, Access::read);
    if (!parent) return parent.error();
    if (parent->type != storage::NodeType::folder) return make_error(Errc::invalid_argument, "not a folder");
    auto children = txn.nodes().list_children_at(parent_id, at, after, limit + 1);
    if (!children) return children.error();
    protocol::PastEntryPage page;
    for (std::size_t i = 0; i < children->size() && i < limit; ++i) {
      auto view = past_entry_view(txn, (*children)[i], at);
      if (!view) return view.error();
      page.entries.push_back(std::move(*view));
    }
    if (children->size() > limit) page.next = page.entries.back().name_tag;
    return page;
  });
}

Outcome<protocol::Entry> NodeService::get_entry(const Caller& caller, const std::string& parent_id,
                                                const std::string& name_tag) {
  return in_read<protocol::Entry>(context_, [&](Transaction& txn) -> Outcome<protocol::Entry> {
    auto parent = check_read(txn, caller, parent_id);
    if (!parent) return parent.error();
    auto entry = txn.nodes().find_entry(parent_id, name_tag);
    if (!entry) return entry.error();
    if (!*entry) return make_error(Errc::not_found, "no such entry");
    return entry_view(txn, **entry);
  });
}

Outcome<protocol::Entry> NodeService::link_in(Transaction& txn, const Caller& caller, const std::string& node_id,
                                              const protocol::LinkRequest& request) {
  auto node = acl::check_access(txn, caller.user_id, node_id, Access::read);
  if (!node) return node.error();
  auto parent = acl::check_access(txn, caller.user_id, request.parent_id, Access::write);
  if (!parent) return parent.error();
  // A folder or symlink in the trash has no entry: linking it is its restore.
  if (!can_have_links(node->type) && !node->trashed_at) {
    return make_error(Errc::invalid_argument,
                      "only files and special files can have hard links (folders and symlinks only out of the trash)");
  }
  COFFER_TRY_STATUS(check_folder_open(*parent));
  if (parent->owner_id != node->owner_id) return cross_owner();
  auto existing = txn.nodes().find_entry(request.parent_id, request.name_tag);
  if (!existing) return existing.error();
  if (*existing) return name_taken<protocol::Entry>(txn, **existing);
  const std::int64_t now = context_.clock();
  const storage::EntryRecord entry{request.parent_id, request.name_tag, node_id, request.name, request.wrapped_key, now};
  COFFER_TRY_STATUS(leave_trash(txn, *node));
  COFFER_TRY_STATUS(txn.nodes().insert_entry(entry));
  COFFER_TRY_STATUS(record_change(txn, caller, node->owner_id, node_id, entry.parent_id, "entry_added", now));
  return entry_view(txn, entry);
}

Outcome<protocol::Entry> NodeService::link(const Caller& caller, const std::string& node_id,
                                           const protocol::LinkRequest& request, const Folders& folders) {
  return with_folder_records<protocol::Entry>(context_, caller, folders,
                                              [&](Transaction& txn) { return link_in(txn, caller, node_id, request); });
}

Outcome<protocol::Entry> NodeService::move_in(Transaction& txn, const Caller& caller, const std::string& parent_id,
                                              const std::string& name_tag, const protocol::MoveRequest& request) {
  return MoveOperation(txn, caller, context_.clock()).run(parent_id, name_tag, request);
}

Outcome<protocol::Entry> NodeService::move(const Caller& caller, const std::string& parent_id,
                                           const std::string& name_tag, const protocol::MoveRequest& request,
                                           const Folders& folders) {
  return with_folder_records<protocol::Entry>(
      context_, caller, folders, [&](Transaction& txn) { return move_in(txn, caller, parent_id, name_tag, request); });
}

Outcome<Done> NodeService::remove_in(Transaction& txn, const Caller& caller, const std::string& parent_id,
                                     const std::string& name_tag, std::optional<std::uint64_t> expected_version) {
  auto parent = acl::check_access(txn, caller.user_id, parent_id, Access::write);
  if (!parent) return parent.error();
  auto entry = txn.nodes().find_entry(parent_id, name_tag);
  if (!entry) return entry.error();
  if (!*entry) return make_error(Errc::not_found, "no such entry");
  auto busy = txn.nodes().has_children((*entry)->node_id);
  if (!busy) return busy.error();
  if (*busy) return make_error(Errc::not_empty, "the folder is not empty");
  if (expected_version) {
    auto node = txn.nodes().find((*entry)->node_id);
    if (!node) return node.error();
    if (*node && (*node)->version != *expected_version) {
      return Outcome<Done>(make_error(Errc::conflict, "the file has a newer version than expected_version"),
                           protocol::Json{{"current_version", (*node)->version}});
    }
  }
  COFFER_TRY_STATUS(unlink_entry(txn, caller, **entry, parent->owner_id, context_.clock()));
  return Done{};
}

Outcome<Done> NodeService::remove(const Caller& caller, const std::string& parent_id, const std::string& name_tag,
                                  const Folders& folders) {
  return with_folder_records<Done>(context_, caller, folders,
                                   [&](Transaction& txn) { return remove_in(txn, caller, parent_id, name_tag); });
}

Outcome<protocol::Node> NodeService::set_attributes_in(Transaction& txn, const Caller& caller,
                                                       const std::string& node_id,
                                                       const protocol::SetAttributesRequest& request) {
  auto node = acl::check_access(txn, caller.user_id, node_id, Access::write);
  if (!node) return node.error();
  if (node->attributes_revision != request.base_revision) {
    auto current = node_view(txn, *node);
    if (!current) return current.error();
    return Outcome<protocol::Node>(make_error(Errc::conflict, "the attribute record changed since base_revision"),
                                   protocol::Json{{"current", *current}});
  }
  COFFER_TRY_STATUS(txn.nodes().set_attributes(node_id, request.attributes, request.revision));
  COFFER_TRY_STATUS(record_change(txn, caller, node->owner_id, node_id, std::nullopt, "attributes", context_.clock()));
  node->attributes = request.attributes;
  node->attributes_revision = request.revision;
  return node_view(txn, *node);
}

Outcome<protocol::Node> NodeService::set_attributes(const Caller& caller, const std::string& node_id,
                                                    const protocol::SetAttributesRequest& request) {
  return in_write<protocol::Node>(context_, [&](Transaction& txn) {
    return explain_quota(txn, caller.user_id, set_attributes_in(txn, caller, node_id, request));
  });
}

}  // namespace coffer::server::service
