#include <spdlog/spdlog.h>

#include <variant>

#include "vfs/vfs.hpp"

// The persistent metadata cache, on the Vfs's side: which listings and nodes to write (marks,
// taken by vfs::MetadataWriter), and folders loaded from it instead of the server. A row is
// written only once the server holds everything the mount did to its node, so the cache never
// says more than the server acknowledged; a row the guard finds older than seen, or that does
// not open, costs a listing from the server, never a wrong one.
namespace coffer::vfs {
namespace {

using cache::MetadataKind;

CachedNode record_of(const Node& node) {
  return CachedNode{node.id,       node.type,          SecureBytes(node.key.raw().begin(), node.key.raw().end()),
                    node.attrs,    node.committed_size, node.committed_stored,
                    node.size_unknown, node.nlink,     node.server_version};
}

CachedListing listing_of(const Node& folder, std::uint64_t revision) {
  CachedListing listing{revision, {}};
  for (const auto& [name, child] : *folder.children) listing.entries.push_back({name, child.name_tag, child.node->id});
  return listing;
}

}  // namespace

void Vfs::attach_metadata(cache::MetadataCache* cache) {
  std::lock_guard lock(tree_);
  metadata_ = MetadataMarks{};
  metadata_.cache = cache;
}

void Vfs::serve_metadata() {
  std::lock_guard lock(tree_);
  metadata_.serving = metadata_.cache != nullptr;
}

void Vfs::detach_metadata() {
  std::lock_guard lock(tree_);
  metadata_ = MetadataMarks{};
}

// Nothing of a share is written (docs/client.md "Shared with me"): its folders are listed from
// the server at each mount, and a revoked grant leaves no row behind.
void Vfs::persist_listing(const Node& folder) {
  if (!metadata_.cache || folder.share || folder.fixed) return;
  metadata_.listings.insert(folder.id);
  metadata_.dropped_listings.erase(folder.id);
  for (const auto& [name, child] : *folder.children) persist_node(child.node->id);
}

// The root's own record comes from the server at every mount (mount::load_root): not kept.
void Vfs::persist_node(const std::string& node_id) {
  if (!metadata_.cache || node_id == root_->id) return;
  if (auto node = known_node(node_id); node && (node->share || node->fixed)) return;
  metadata_.nodes.insert(node_id);
  metadata_.dropped_nodes.erase(node_id);
}

void Vfs::forget_listing(const std::string& folder_id) {
  if (!metadata_.cache) return;
  metadata_.listings.erase(folder_id);
  metadata_.dropped_listings.insert(folder_id);
}

void Vfs::forget_node(const std::string& node_id) {
  if (!metadata_.cache) return;
  metadata_.nodes.erase(node_id);
  metadata_.dropped_nodes.insert(node_id);
}

// What one of this mount's own ops changed: the node, and the listings whose entries it
// changes (the same ones the change feed names for it, so a row missed by a crash is named
// again when the op reaches the server).
void Vfs::persist_op(const Node& node, const sync::OpBody& op) {
  if (!metadata_.cache || node.share) return;
  persist_node(node.id);
  auto listing = [this](const std::string& folder_id) {
    metadata_.listings.insert(folder_id);
    metadata_.dropped_listings.erase(folder_id);
  };
  if (const auto* create = std::get_if<sync::CreateOp>(&op)) {
    listing(create->entry.parent_id);
    if (create->type == remote::NodeType::folder) listing(node.id);
  } else if (const auto* remove = std::get_if<sync::RemoveOp>(&op)) {
    listing(remove->entry.parent_id);
    if (node.type == remote::NodeType::folder) {
      forget_listing(node.id);
      forget_node(node.id);
    }
  } else if (const auto* move = std::get_if<sync::MoveOp>(&op)) {
    listing(move->move.from.parent_id);
    listing(move->move.to.parent_id);
  } else if (const auto* link = std::get_if<sync::LinkOp>(&op)) {
    listing(link->link.entry.parent_id);
  }
}

MetadataSnapshot Vfs::take_metadata_snapshot() {
  std::lock_guard lock(tree_);
  MetadataSnapshot snapshot;
  for (auto it = metadata_.listings.begin(); it != metadata_.listings.end();) {
    auto folder = known_node(*it);
    if (!folder || folder->broken || !folder->children) {
      metadata_.dropped_listings.insert(*it);
    } else if (has_unsent_changes(*folder)) {
      snapshot.settled = false;
      ++it;
      continue;
    } else {
      snapshot.listings.emplace_back(*it, listing_of(*folder, services_.guard.seen_folder_revision(*it)));
    }
    it = metadata_.listings.erase(it);
  }
  for (auto it = metadata_.nodes.begin(); it != metadata_.nodes.end();) {
    auto node = known_node(*it);
    if (!node || node->broken || (node->type != remote::NodeType::folder && node->nlink == 0)) {
      metadata_.dropped_nodes.insert(*it);
    } else if (has_unsent_changes(*node)) {
      snapshot.settled = false;
      ++it;
      continue;
    } else {
      snapshot.nodes.push_back(record_of(*node));
    }
    it = metadata_.nodes.erase(it);
  }
  snapshot.dropped_listings.assign(metadata_.dropped_listings.begin(), metadata_.dropped_listings.end());
  snapshot.dropped_nodes.assign(metadata_.dropped_nodes.begin(), metadata_.dropped_nodes.end());
  return snapshot;
}

// A drop marked again since the snapshot stays until the next write; one rewritten since (a
// listing read from the server) was already taken off.
void Vfs::metadata_written(const MetadataSnapshot& snapshot) {
  std::lock_guard lock(tree_);
  for (const auto& id : snapshot.dropped_listings) metadata_.dropped_listings.erase(id);
  for (const auto& id : snapshot.dropped_nodes) metadata_.dropped_nodes.erase(id);
}

// Under the tree lock, like a first listing from the server; reading and opening the rows
// costs a few microseconds per entry.
bool Vfs::load_cached_listing(Node& folder) {
  if (!metadata_.serving || metadata_.dropped_listings.contains(folder.id)) return false;
  auto row = metadata_.cache->read({MetadataKind::folder, folder.id});
  if (!row) return false;
  auto listing = decode_listing(*row);
  // A cached revision below the highest seen is older than what the mount knew: refused.
  Status usable = listing ? services_.guard.check_folder_revision(folder.id, listing->revision)
                          : Status(std::move(listing).error());
  std::vector<OpenedChild> opened;
  if (usable) usable = cached_children(*listing, opened);
  if (!usable) {
    spdlog::warn("metadata cache: folder {} is listed from the server instead: {}", folder.id, usable.error().message);
    forget_listing(folder.id);
    return false;
  }
  folder.children = adopt_children(folder, std::move(opened));
  return true;
}

Status Vfs::cached_children(const CachedListing& listing, std::vector<OpenedChild>& opened) {
  opened.reserve(listing.entries.size());
  for (const auto& entry : listing.entries) {
    auto node = known_node(entry.node_id);
    if (!node) {
      auto cached = cached_node(entry.node_id);
      if (!cached) return std::move(cached).error();
      node = std::move(cached).value();
    }
    opened.push_back(OpenedChild{entry.name, entry.name_tag, std::move(node), {}});
  }
  return {};
}

Result<std::shared_ptr<Node>> Vfs::cached_node(const std::string& node_id) {
  if (metadata_.dropped_nodes.contains(node_id)) {
    return make_error(Errc::not_found, "node " + node_id + " changed since it was cached");
  }
  auto row = metadata_.cache->read({MetadataKind::node, node_id});
  if (!row) return make_error(Errc::not_found, "node " + node_id + " is not cached");
  auto cached = decode_node(node_id, *row);
  if (!cached) return std::move(cached).error();
  COFFER_TRY_STATUS(services_.guard.check_version(node_id, cached->version));
  auto key = crypto::FernetKey::from_raw(cached->key);
  if (!key) return make_error(Errc::integrity, "node " + node_id + ": the cached key is not a Fernet key");
  auto node = std::make_shared<Node>(node_id, cached->type, std::move(key).value());
  node->attrs = std::move(cached->attrs);
  node->size = node->committed_size = cached->size;
  node->committed_stored = cached->stored;
  node->size_unknown = cached->size_unknown;
  node->nlink = cached->nlink;
  node->server_version = cached->version;
  return node;
}

}  // namespace coffer::vfs
