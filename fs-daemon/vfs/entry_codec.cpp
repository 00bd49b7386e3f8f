#include "vfs/entry_codec.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "crypto/entry_seal.hpp"
#include "crypto/keys.hpp"
#include "sync/record_meta.hpp"

namespace coffer::vfs {
namespace {

// The server names a node's type; the sealed record's mode must agree.
bool mode_fits(remote::NodeType type, std::uint32_t mode) {
  switch (type) {
    case remote::NodeType::folder: return S_ISDIR(mode);
    case remote::NodeType::symlink: return S_ISLNK(mode);
    case remote::NodeType::file: return S_ISREG(mode);
    case remote::NodeType::special: return S_ISFIFO(mode) || S_ISSOCK(mode) || S_ISCHR(mode) || S_ISBLK(mode);
  }
  return false;
}

// An entry whose name verified but whose key or record did not: it stays in the listing under
// its name and answers every access with the error, so nothing is hidden and nothing wrong is
// shown. Its key is a fresh random one that opens nothing.
std::shared_ptr<Node> broken_node(const remote::EntryInfo& entry, Error error) {
  auto node = std::make_shared<Node>(entry.node.node_id, entry.node.type, crypto::FernetKey::generate());
  node->attrs.mode = entry.node.type == remote::NodeType::folder ? S_IFDIR : S_IFREG;  // the type readdir shows
  node->broken = std::move(error);
  return node;
}

}  // namespace

remote::SealedName seal_entry(const Node& folder, std::string_view name, const std::string& node_id,
                              const crypto::FernetKey& node_key) {
  std::string tag = crypto::name_tag(folder.key, name);
  Bytes sealed = crypto::seal_entry_key(folder.key, {folder.id, node_id, tag}, node_key);
  return {folder.id, crypto::encrypt_name(folder.key, name), std::move(tag), std::move(sealed)};
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
  if (!mode_fits(node.type, record->attributes.mode)) {
    return make_error(Errc::integrity, "node " + node.id + ": the sealed mode is not of the type the server names");
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
  const crypto::EntryBinding binding{folder.id, entry.node.node_id, entry.name_tag};
  auto key = crypto::open_entry_key(folder.key, binding, entry.wrapped_key);
  Result<std::shared_ptr<Node>> node =
      key ? open_node(entry.node, std::move(key).value())
          : Result<std::shared_ptr<Node>>(make_error(Errc::integrity, "the sealed entry does not open for node " +
                                                                          entry.node.node_id + " at this place"));
  if (!node) {
    node = make_error(Errc::integrity, "folder " + folder.id + ", entry " + entry.name_tag + ": " + node.error().message);
    spdlog::error("refused tampered data: {}", node.error().message);
    return OpenedEntry{std::move(name).value(), broken_node(entry, std::move(node).error())};
  }
  (*node)->parent_id = folder.id;
  return OpenedEntry{std::move(name).value(), std::move(node).value()};
}

}  // namespace coffer::vfs
