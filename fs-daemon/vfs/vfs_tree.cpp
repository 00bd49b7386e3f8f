#include <spdlog/spdlog.h>

#include <ctime>

#include "sync/folder_listing.hpp"
#include "vfs/entry_codec.hpp"
#include "vfs/vfs.hpp"

// The tree: nodes by inode number and by id, folder listings loaded from the server on first
// use, lookup and attributes as the kernel sees them.
namespace coffer::vfs {
namespace {

constexpr std::size_t kMaxName = 255;
constexpr blksize_t kBlockSize = 128 * 1024;

timespec to_timespec(const crypto::Timestamp& t) { return {static_cast<time_t>(t.sec), static_cast<long>(t.nsec)}; }

}  // namespace

crypto::Timestamp now_timestamp() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return {now.tv_sec, static_cast<std::uint32_t>(now.tv_nsec)};
}

Vfs::Vfs(VfsServices services, VfsOptions options, std::shared_ptr<Node> root)
    : services_(services), options_(options), root_(root), inodes_(root) {
  nodes_[root->id] = root;
}

Vfs::~Vfs() = default;

void Vfs::set_notifier(KernelNotifier* notifier) {
  std::lock_guard lock(tree_);
  notifier_ = notifier;
}

Result<std::shared_ptr<Node>> Vfs::node_of(std::uint64_t ino) const {
  auto node = inodes_.get(ino);
  if (!node) return make_error(Errc::not_found, "inode " + std::to_string(ino) + " is not known");
  if (node->broken) return *node->broken;
  return node;
}

Result<std::shared_ptr<Node>> Vfs::folder_of(std::uint64_t ino, Lock& lock) {
  auto node = node_of(ino);
  if (!node) return node;
  if ((*node)->type != remote::NodeType::folder) return make_error(Errc::not_a_directory, "not a folder");
  COFFER_TRY_STATUS(ensure_listed(*node, lock));
  return node;
}

std::shared_ptr<Node> Vfs::adopt(std::shared_ptr<Node> fresh) {
  auto& known = nodes_[fresh->id];
  if (auto existing = known.lock()) return existing;
  known = fresh;
  return fresh;
}

// A folder's listing, loaded on its first use without the tree lock: one load per folder at a
// time, which the folder's other users wait for (and share its failure); users of other
// folders and of cached data go on meanwhile. Listings are never dropped once loaded, so only
// this folder's state is checked again after the wait.
Status Vfs::ensure_listed(const std::shared_ptr<Node>& folder, Lock& lock) {
  while (!folder->children) {
    if (folder->broken) return *folder->broken;
    // The metadata cache is local and small per folder: read under the lock, as a listing's
    // adoption is (docs/client.md "Metadata cache").
    if (load_cached_listing(*folder)) return {};
    if (auto loading = listing_loads_.find(folder->id); loading != listing_loads_.end()) {
      auto in_flight = loading->second;
      lock.unlock();
      Status loaded = in_flight.get();
      lock.lock();
      if (!loaded) return loaded;
      continue;
    }
    std::promise<Status> promise;
    listing_loads_.emplace(folder->id, promise.get_future().share());
    lock.unlock();
    Result<std::vector<OpenedChild>> fetched = make_error(Errc::internal, "the listing was not loaded");
    try {
      fetched = fetch_listing(*folder);
    } catch (...) {  // the FUSE adaptor's barrier logs it; the folder's waiters must not wait forever
      lock.lock();
      listing_loads_.erase(folder->id);
      promise.set_value(make_error(Errc::internal, "loading the listing failed"));
      throw;
    }
    lock.lock();
    listing_loads_.erase(folder->id);
    Status loaded;
    if (!fetched) {  // logged where it becomes EIO
      if (fetched.error().code == Errc::integrity) folder->broken = fetched.error();
      suspect_share(*folder, fetched.error());
      loaded = std::move(fetched).error();
    } else if (folder->broken) {  // its share was revoked meanwhile
      loaded = *folder->broken;
    } else {
      folder->children = adopt_children(*folder, std::move(fetched).value());
      persist_listing(*folder);
    }
    promise.set_value(loaded);
    if (!loaded) return loaded;
  }
  return {};
}

// The folder's entries from the server, verified as a whole and each opened and checked
// against the guard. Reads only the folder's id and key, which never change: no lock needed.
Result<std::vector<Vfs::OpenedChild>> Vfs::fetch_listing(const Node& folder) {
  auto verified = sync::list_verified_folder(services_.remote, services_.guard, folder.id, folder.key);
  if (!verified) return std::move(verified).error();
  return open_children(folder, *verified);
}

std::vector<Vfs::OpenedChild> Vfs::open_children(const Node& folder, const sync::VerifiedFolder& verified) {
  std::vector<OpenedChild> children;
  for (const auto& entry : verified.entries) {
    auto opened = open_entry(folder, entry);
    if (!opened) {  // no verified name to show it under
      spdlog::error("refused tampered data: {}", opened.error().message);
      continue;
    }
    Status fresh;
    if (!opened->node->broken) {
      fresh = services_.guard.check_revision(entry.node.node_id, entry.node.attributes_revision);
      if (fresh) fresh = services_.guard.check_version(entry.node.node_id, entry.node.version);
      if (!fresh) spdlog::error("refused tampered data: {}", fresh.error().message);
    }
    children.push_back(OpenedChild{std::move(opened->name), entry.name_tag, std::move(opened->node), std::move(fresh)});
  }
  return children;
}

// The listing of opened entries, each naming the one Node of its id (a hard link, or a node
// moved here from a folder listed before, keeps its Node, its handles and its inode number).
Listing Vfs::adopt_children(const Node& folder, std::vector<OpenedChild> opened) {
  Listing listing;
  for (auto& child : opened) {
    // A broken entry's node is not adopted: the id it names may be a sound node elsewhere.
    auto node = child.node->broken ? std::move(child.node) : adopt(std::move(child.node));
    if (!node->share) node->share = folder.share;
    if (!child.fresh && !node->broken) node->broken = child.fresh.error();
    node->parent_id = folder.id;
    node->name = child.name;
    listing[child.name] = ChildEntry{child.name_tag, std::move(node)};
  }
  return listing;
}

Result<std::shared_ptr<Node>> Vfs::child_of(const std::shared_ptr<Node>& folder, const std::string& name, Lock& lock) {
  if (name.size() > kMaxName) return make_error(Errc::name_too_long, "a name is longer than 255 bytes");
  if (is_shared_name(*folder, name)) return shared_root_;  // hides an entry of that name in the cloud's root
  COFFER_TRY_STATUS(ensure_listed(folder, lock));
  auto it = folder->children->find(name);
  if (it == folder->children->end()) return make_error(Errc::not_found, "no such entry");
  if (it->second.node->broken) return *it->second.node->broken;
  return it->second.node;
}

// The server's current manifest of a file, opened under its key and bound to its id and the
// version the server labels current. No lock: the id and key never change.
Result<crypto::Manifest> Vfs::fetch_manifest(const std::string& node_id, const crypto::FernetKey& key) {
  auto version = services_.remote.get_version(node_id, std::nullopt);
  if (!version) return std::move(version).error();
  auto manifest = crypto::open_manifest(key, node_id, version->manifest);
  if (!manifest || manifest->version != version->version) {
    std::string why = manifest ? "it names another version" : manifest.error().message;
    spdlog::error("node {}: the manifest is refused: {}", node_id, why);
    return make_error(Errc::integrity, "node " + node_id + ": manifest refused: " + why);
  }
  return manifest;
}

// A record written by another client may not name the current version's size: the manifest
// does, and is verified like any manifest.
Status Vfs::ensure_size(const std::shared_ptr<Node>& node, Lock& lock) {
  if (!node->size_unknown) return {};
  const std::string id = node->id;
  const crypto::FernetKey key = node->key;
  lock.unlock();
  auto manifest = fetch_manifest(id, key);
  Status fresh = manifest ? services_.guard.check_version(id, manifest->version) : Status{};
  lock.lock();
  if (!manifest) return std::move(manifest).error();
  COFFER_TRY_STATUS(fresh);
  if (!node->size_unknown) return {};  // another caller, or a newer record, settled it meanwhile
  node->size = node->committed_size = manifest->size;
  node->committed_stored = crypto::stored_bytes(*manifest);
  node->size_unknown = false;
  return {};
}

namespace {

// What st_blocks counts: for a file the plaintext its stored chunks hold, written data not
// yet committed included (holes hold nothing); for anything else its size.
std::uint64_t allocated_bytes(const Node& node) {
  if (node.type != remote::NodeType::file) return node.size;
  return node.content ? node.content->stored_bytes() : node.committed_stored;
}

}  // namespace

struct stat Vfs::stat_of(const Node& node) const {
  struct stat st {};
  st.st_ino = node.ino;
  st.st_mode = node.attrs.mode;
  // A read-only share shows no write bit, so the kernel's permission check refuses first.
  if (node.share && !node.share->writable) st.st_mode &= ~static_cast<mode_t>(0222);
  st.st_nlink = node.nlink;
  if (node.type == remote::NodeType::folder) {
    st.st_nlink = 1;
    if (node.children) {
      st.st_nlink = 2;
      for (const auto& [name, child] : *node.children) {
        if (child.node->type == remote::NodeType::folder) ++st.st_nlink;
      }
    }
  }
  st.st_rdev = static_cast<dev_t>(node.attrs.rdev);
  st.st_uid = node.attrs.uid;
  st.st_gid = node.attrs.gid;
  st.st_size = static_cast<off_t>(node.size);
  st.st_blksize = kBlockSize;
  st.st_blocks = static_cast<blkcnt_t>((allocated_bytes(node) + 511) / 512);
  st.st_atim = to_timespec(node.attrs.atime);
  st.st_mtim = to_timespec(node.attrs.mtime);
  st.st_ctim = to_timespec(node.attrs.ctime);
  return st;
}

EntryReply Vfs::reply_entry(const std::shared_ptr<Node>& node) {
  auto entry = inodes_.reference(node);
  return {entry.ino, entry.generation, stat_of(*node)};
}

Result<EntryReply> Vfs::lookup(std::uint64_t parent, const std::string& name) {
  Lock lock(tree_);
  auto folder = folder_of(parent, lock);
  if (!folder) return std::move(folder).error();
  auto child = child_of(*folder, name, lock);
  if (!child) return std::move(child).error();
  COFFER_TRY_STATUS(ensure_size(*child, lock));
  return reply_entry(*child);
}

void Vfs::forget(std::uint64_t ino, std::uint64_t count) {
  std::lock_guard lock(tree_);
  inodes_.forget(ino, count);
}

Result<struct stat> Vfs::getattr(std::uint64_t ino) {
  Lock lock(tree_);
  auto node = node_of(ino);
  if (!node) return std::move(node).error();
  COFFER_TRY_STATUS(ensure_size(*node, lock));
  return stat_of(**node);
}

void Vfs::on_committed(const std::string& node_id, std::uint64_t version) {
  std::lock_guard lock(tree_);
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) return;
  if (auto node = it->second.lock()) node->server_version = std::max(node->server_version, version);
  persist_node(node_id);
}

// Folders name their one parent; the name is the entry of the parent's listing that holds it.
std::optional<std::string> Vfs::folder_path(const Node& folder) const {
  if (folder.id == root_->id) return "";
  if (&folder == shared_root_.get()) return std::string("/") + kSharedFolderName;
  auto parent = known_node(folder.parent_id);
  if (!parent || !parent->children) return std::nullopt;
  for (const auto& [name, child] : *parent->children) {
    if (child.node.get() != &folder) continue;
    auto above = folder_path(*parent);
    return above ? std::optional(*above + "/" + name) : std::nullopt;
  }
  return std::nullopt;
}

std::string Vfs::path_of(const std::string& node_id) const {
  std::lock_guard lock(tree_);
  return path_locked(node_id);
}

std::string Vfs::path_locked(const std::string& node_id) const {
  if (node_id == root_->id) return "/";
  for (const auto& [id, known] : nodes_) {
    auto folder = known.lock();
    if (!folder || !folder->children) continue;
    for (const auto& [name, child] : *folder->children) {
      if (child.node->id != node_id) continue;
      if (auto above = folder_path(*folder)) return *above + "/" + name;
    }
  }
  return "";
}

}  // namespace coffer::vfs
