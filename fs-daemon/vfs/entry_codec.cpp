#include "vfs/entry_codec.hpp"

#include "crypto/keys.hpp"
#include "sync/record_meta.hpp"

namespace coffer::vfs {

remote::SealedName seal_entry(const Node& folder, std::string_view name, const crypto::FernetKey& node_key) {
  return {folder.id, crypto::encrypt_name(folder.key, name), crypto::name_tag(folder.key, name),
          crypto::wrap_key(folder.key, node_key)};
}

crypto::Attributes attributes_to_record(const Node& node) {
  crypto::Attributes attributes = node.attrs;
  sync::set_stored_bytes(attributes, node.committed_stored);
  return attributes;
}

Status apply_node_record(Node& node, const remote::NodeInfo& info) {
  auto record = crypto::open_attribute_record(node.key, node.id, info.attributes);
  if (!record) return make_error(Errc::integrity, "node " + node.id + ": attribute record: " + record.error().message);
  if (record->revision != info.attributes_revision) {
    return make_error(Errc::integrity, "node " + node.id + ": the sealed revision differs from the server's");
  }
  auto meta = sync::get_content_meta(record->attributes);
  const auto stored = sync::get_stored_bytes(record->attributes);
  sync::strip_content_meta(record->attributes);
  node.attrs = std::move(record->attributes);
  node.nlink = info.nlink;
  node.server_version = info.version;
  if (node.type == remote::NodeType::symlink) {
    node.size = node.attrs.symlink_target.size();
  } else if (meta && meta->version == info.version) {
    node.size = meta->size;
    node.committed_stored = stored.value_or(meta->size);
    node.size_unknown = false;
  } else {
    node.size_unknown = info.version != 0;
    node.size = 0;
  }
  node.committed_size = node.size;
  return {};
}

Result<std::shared_ptr<Node>> open_node(const remote::NodeInfo& info, crypto::FernetKey key) {
  auto node = std::make_shared<Node>(info.node_id, info.type, std::move(key));
  COFFER_TRY_STATUS(apply_node_record(*node, info));
  return node;
}

Result<OpenedEntry> open_entry(const Node& folder, const remote::EntryInfo& entry) {
  auto name = crypto::decrypt_name(folder.key, entry.name);
  if (!name) return make_error(Errc::integrity, "an entry of folder " + folder.id + " has a name that fails to decrypt");
  if (crypto::name_tag(folder.key, *name) != entry.name_tag) {
    return make_error(Errc::integrity, "an entry of folder " + folder.id + " has a name tag that does not match");
  }
  auto key = crypto::unwrap_key(folder.key, entry.wrapped_key);
  if (!key) return make_error(Errc::integrity, "node " + entry.node.node_id + ": the wrapped key fails to open");
  auto node = open_node(entry.node, std::move(key).value());
  if (!node) return std::move(node).error();
  (*node)->parent_id = folder.id;
  return OpenedEntry{std::move(name).value(), std::move(node).value()};
}

}  // namespace coffer::vfs
