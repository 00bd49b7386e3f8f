#include "server/service/views.hpp"

namespace coffer::server::service {

protocol::Node node_view(const storage::NodeRecord& node, std::string owner, std::uint64_t nlink) {
  protocol::Node view;
  view.node_id = node.id;
  view.type = storage::node_type_name(node.type);
  view.owner = std::move(owner);
  view.attributes = node.attributes;
  view.attributes_revision = node.attributes_revision;
  view.version = node.version;
  view.size = node.size;
  view.nlink = nlink;
  view.folder_revision = node.folder_revision;
  return view;
}

Result<protocol::Node> node_view(storage::Transaction& txn, const storage::NodeRecord& node) {
  auto owner = txn.users().find_by_id(node.owner_id);
  if (!owner) return owner.error();
  auto nlink = txn.nodes().count_entries_of(node.id);
  if (!nlink) return nlink.error();
  return node_view(node, *owner ? (*owner)->name : std::string(), *nlink);
}

Result<protocol::Entry> entry_view(storage::Transaction& txn, const storage::EntryRecord& entry) {
  auto node = txn.nodes().find(entry.node_id);
  if (!node) return node.error();
  if (!*node) return make_error(Errc::not_found, "no such node");
  auto node_json = node_view(txn, **node);
  if (!node_json) return node_json.error();
  return protocol::Entry{entry.parent_id, entry.name, entry.name_tag, entry.wrapped_key, std::move(*node_json)};
}

Result<protocol::Entry> past_entry_view(storage::Transaction& txn, const storage::EntryRecord& entry, std::int64_t at) {
  auto view = entry_view(txn, entry);
  if (!view) return view.error();
  auto then = txn.content().version_at(entry.node_id, at);
  if (!then) return then.error();
  view->node.version = *then ? (*then)->version : 0;
  view->node.size = *then ? (*then)->size : 0;
  return view;
}

protocol::KdfParams kdf_view(const storage::KdfRecord& kdf) {
  return protocol::KdfParams{kdf.algorithm, kdf.n, kdf.r, kdf.p, kdf.salt};
}

storage::KdfRecord kdf_record(const protocol::KdfParams& kdf) {
  return storage::KdfRecord{kdf.algorithm, kdf.n, kdf.r, kdf.p, kdf.salt};
}

protocol::SessionInfo session_view(const storage::SessionRecord& session, const std::string& current_session_id) {
  return protocol::SessionInfo{session.id,         session.device,     session.created_at,
                               session.last_seen, session.expires_at, session.id == current_session_id};
}

protocol::VersionSummary version_summary(const storage::VersionRecord& version) {
  return protocol::VersionSummary{version.version, version.size, version.created_at, version.chunk_count,
                                  version.device};
}

}  // namespace coffer::server::service
