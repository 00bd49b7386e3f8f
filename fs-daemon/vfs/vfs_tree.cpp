#include <spdlog/spdlog.h>

#include <ctime>

#include "crypto/manifest.hpp"
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

Result<std::shared_ptr<Node>> Vfs::folder_of(std::uint64_t ino) {
  auto node = node_of(ino);
  if (!node) return node;
  if ((*node)->type != remote::NodeType::folder) return make_error(Errc::not_a_directory, "not a folder");
  COFFER_TRY_STATUS(load_listing(**node));
  return node;
}

std::shared_ptr<Node> Vfs::adopt(std::shared_ptr<Node> fresh) {
  auto& known = nodes_[fresh->id];
  if (auto existing = known.lock()) return existing;
  known = fresh;
  return fresh;
}

Status Vfs::load_listing(Node& folder) {
  if (folder.children || load_cached_listing(folder)) return {};
  auto verified = sync::list_verified_folder(services_.remote, services_.guard, folder.id, folder.key);
  if (!verified) {  // logged where it becomes EIO
    if (verified.error().code == Errc::integrity) folder.broken = verified.error();
    return std::move(verified).error();
  }
  folder.children = adopt_children(folder, open_children(folder, *verified));
  persist_listing(folder);
  return {};
}

// Reads only the folder's id and key, which never change, so the change feed runs it without
// the tree lock.
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
    if (!child.fresh && !node->broken) node->broken = child.fresh.error();
    if (node->type == remote::NodeType::folder) node->parent_id = folder.id;
    listing[child.name] = ChildEntry{child.name_tag, std::move(node)};
  }
  return listing;
}

Result<std::shared_ptr<Node>> Vfs::child_of(Node& folder, const std::string& name) {
  if (name.size() > kMaxName) return make_error(Errc::name_too_long, "a name is longer than 255 bytes");
  COFFER_TRY_STATUS(load_listing(folder));
  auto it = folder.children->find(name);
  if (it == folder.children->end()) return make_error(Errc::not_found, "no such entry");
  if (it->second.node->broken) return *it->second.node->broken;
  return it->second.node;
}

// A record written by another client may not name the current version's size: the manifest
// does, and is verified like any manifest.
Status Vfs::ensure_size(Node& node) {
  if (!node.size_unknown) return {};
  auto version = services_.remote.get_version(node.id, std::nullopt);
  if (!version) return std::move(version).error();
  auto manifest = crypto::open_manifest(node.key, node.id, version->manifest);
  if (!manifest) return make_error(Errc::integrity, "node " + node.id + ": manifest: " + manifest.error().message);
  COFFER_TRY_STATUS(services_.guard.check_version(node.id, manifest->version));
  node.size = node.committed_size = manifest->size;
  node.committed_stored = crypto::stored_bytes(*manifest);
  node.size_unknown = false;
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
  std::lock_guard lock(tree_);
  auto folder = folder_of(parent);
  if (!folder) return std::move(folder).error();
  auto child = child_of(**folder, name);
  if (!child) return std::move(child).error();
  COFFER_TRY_STATUS(ensure_size(**child));
  return reply_entry(*child);
}

void Vfs::forget(std::uint64_t ino, std::uint64_t count) {
  std::lock_guard lock(tree_);
  inodes_.forget(ino, count);
}

Result<struct stat> Vfs::getattr(std::uint64_t ino) {
  std::lock_guard lock(tree_);
  auto node = node_of(ino);
  if (!node) return std::move(node).error();
  COFFER_TRY_STATUS(ensure_size(**node));
  return stat_of(**node);
}

void Vfs::on_committed(const std::string& node_id, std::uint64_t version) {
  std::lock_guard lock(tree_);
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) return;
  if (auto node = it->second.lock()) node->server_version = std::max(node->server_version, version);
  persist_node(node_id);
}

}  // namespace coffer::vfs
