#include "history/coffer_view.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <map>

#include "history/history_names.hpp"
#include "util/unix_time.hpp"

namespace coffer::history {
namespace {

// Modes as a read-only mounted file system shows them: the kernel's permission check
// (default_permissions) lets a change through, and the view answers EROFS, whoever asks.
constexpr std::uint32_t kFolderMode = S_IFDIR | 0755;
constexpr std::uint32_t kFileMode = S_IFREG | 0644;

std::string child_path(const std::string& folder, const std::string& name) {
  return (folder == "/" ? "" : folder) + "/" + name;
}

Error read_only() { return make_error(Errc::read_only, "the .coffer view is read-only"); }

}  // namespace

CofferView::CofferView(History& history, vfs::Vfs& vfs) : history_(history), vfs_(vfs), mounted_at_(unix_now()) {
  ViewNode root;
  root.kind = Kind::root;
  root.mode = kFolderMode;
  root.lookups = 1;  // never forgotten
  nodes_[kViewInoBase] = root;
  inos_[key_of(root)] = kViewInoBase;
  next_ino_ = kViewInoBase + 1;
}

std::string CofferView::key_of(const ViewNode& node) {
  switch (node.kind) {
    case Kind::root: return "root";
    case Kind::versions_folder: return "d:" + node.path;
    case Kind::file_versions: return "f:" + node.path;
    case Kind::version: return "v:" + node.node_id + ":" + std::to_string(node.version);
    case Kind::trash_folder: return "t:" + node.node_id;
    case Kind::trash_file: return "T:" + node.node_id + ":" + std::to_string(node.version);
  }
  return "";
}

// Under mutex_: the node's number, counting one more kernel reference.
std::uint64_t CofferView::ino_for(const ViewNode& node) {
  std::string key = key_of(node);
  auto [it, fresh] = inos_.emplace(key, next_ino_);
  if (fresh) {
    nodes_[next_ino_] = node;
    ++next_ino_;
  } else {
    // What the listing says now (a size, a time) replaces what it said before.
    std::uint64_t lookups = nodes_[it->second].lookups;
    nodes_[it->second] = node;
    nodes_[it->second].lookups = lookups;
  }
  ++nodes_[it->second].lookups;
  return it->second;
}

Result<CofferView::ViewNode> CofferView::node_of(std::uint64_t ino) const {
  std::lock_guard lock(mutex_);
  auto it = nodes_.find(ino);
  if (it == nodes_.end()) return make_error(Errc::not_found, "no such entry in .coffer");
  return it->second;
}

struct stat CofferView::stat_of(std::uint64_t ino, const ViewNode& node) const {
  struct stat st {};
  st.st_ino = ino;
  st.st_mode = node.mode;
  st.st_nlink = S_ISDIR(node.mode) ? 2 : 1;
  st.st_uid = ::getuid();
  st.st_gid = ::getgid();
  st.st_size = static_cast<off_t>(node.size);
  st.st_blocks = static_cast<blkcnt_t>((node.size + 511) / 512);
  st.st_blksize = 128 * 1024;
  std::int64_t time = node.time != 0 ? node.time : mounted_at_;
  st.st_atim = st.st_mtim = st.st_ctim = timespec{static_cast<time_t>(time), 0};
  return st;
}

ViewEntry CofferView::lookup_root() {
  std::lock_guard lock(mutex_);
  ViewNode& root = nodes_.at(kViewInoBase);
  ++root.lookups;
  return ViewEntry{kViewInoBase, stat_of(kViewInoBase, root)};
}

Result<std::vector<CofferView::Child>> CofferView::list(const ViewNode& folder) {
  switch (folder.kind) {
    case Kind::root: {
      ViewNode versions{Kind::versions_folder, "/", {}, std::nullopt, 0, 0, 0, kFolderMode, 0};
      ViewNode trash{Kind::trash_folder, {}, {}, std::nullopt, 0, 0, 0, kFolderMode, 0};
      return std::vector<Child>{{"versions", versions}, {"trash", trash}};
    }
    case Kind::versions_folder: return list_versions_folder(folder);
    case Kind::file_versions: return list_file_versions(folder);
    case Kind::trash_folder: return list_trash(folder.node_id);
    case Kind::version:
    case Kind::trash_file: break;
  }
  return make_error(Errc::not_a_directory, "not a folder");
}

// A live folder: its subfolders and files (symlinks and special files have no versions).
Result<std::vector<CofferView::Child>> CofferView::list_versions_folder(const ViewNode& folder) {
  auto node = vfs_.resolve_path(folder.path);
  if (!node) return std::move(node).error();
  if (node->type != remote::NodeType::folder) return make_error(Errc::not_a_directory, folder.path + " is not a folder");
  auto names = vfs_.folder_names(node->id);
  if (!names) return std::move(names).error();
  std::vector<Child> children;
  for (const auto& name : *names) {
    if (folder.path == "/" && name == kViewName) continue;
    std::string path = child_path(folder.path, name);
    auto child = vfs_.resolve_path(path);
    if (!child) continue;  // removed meanwhile, or refused as tampered (logged)
    if (child->type == remote::NodeType::folder) {
      children.push_back({name, ViewNode{Kind::versions_folder, path, {}, std::nullopt, 0, 0, 0, kFolderMode, 0}});
    } else if (child->type == remote::NodeType::file) {
      children.push_back({name, ViewNode{Kind::file_versions, path, {}, std::nullopt, 0, 0, 0, kFolderMode, 0}});
    }
  }
  return children;
}

// One file per version whose manifest opens (one that does not is left out and logged by
// versions_of's caller: it has no trustworthy size to show).
Result<std::vector<CofferView::Child>> CofferView::list_file_versions(const ViewNode& folder) {
  auto file = history_.file_at(folder.path);
  if (!file) return std::move(file).error();
  auto versions = history_.versions_of(*file);
  if (!versions) return std::move(versions).error();
  std::string name = folder.path.substr(folder.path.rfind('/') + 1);
  std::vector<Child> children;
  for (const auto& version : *versions) {
    if (!version.size) continue;
    std::time_t when = static_cast<std::time_t>(version.created_at);
    std::tm local{};
    ::localtime_r(&when, &local);
    children.push_back({version_file_name(name, local, version.version),
                        ViewNode{Kind::version, folder.path, file->id, file->key, version.version, *version.size,
                                 version.created_at, kFileMode, 0}});
  }
  return children;
}

// The trash's top (`folder_id` ""): items whose folder is not in the trash; else a trashed
// folder's trashed entries. Names several items share are numbered, oldest trashed first.
Result<std::vector<CofferView::Child>> CofferView::list_trash(const std::string& folder_id) {
  auto entries = history_.trash();
  if (!entries) return std::move(entries).error();
  std::vector<const TrashEntry*> shown;
  for (const auto& entry : *entries) {
    if (!entry.key) continue;
    bool top = !entry.item.parent_in_trash;
    if (folder_id.empty() ? !top : entry.item.entry.parent_id != folder_id) continue;
    if (entry.item.node.type != remote::NodeType::folder && entry.item.node.type != remote::NodeType::file) continue;
    shown.push_back(&entry);
  }
  std::stable_sort(shown.begin(), shown.end(),
                   [](const TrashEntry* a, const TrashEntry* b) { return a->item.trashed_at < b->item.trashed_at; });
  std::map<std::string, unsigned> uses;
  std::vector<Child> children;
  for (const TrashEntry* entry : shown) {
    std::string name = numbered_name(entry->name, ++uses[entry->name]);
    ViewNode node;
    node.node_id = entry->item.node.node_id;
    node.key = entry->key;
    node.time = entry->item.trashed_at;
    if (entry->item.node.type == remote::NodeType::folder) {
      node.kind = Kind::trash_folder;
      node.mode = kFolderMode;
    } else {
      node.kind = Kind::trash_file;
      node.mode = S_IFREG | (entry->attrs.mode & 0777);
      node.version = entry->item.node.version;
      if (entry->size) {
        node.size = *entry->size;
      } else if (node.version > 0) {
        auto manifest = history_.manifest(node.node_id, *node.key, node.version);
        if (!manifest) continue;  // nothing trustworthy to show
        node.size = manifest->size;
      }
    }
    children.push_back({std::move(name), std::move(node)});
  }
  return children;
}

Result<ViewEntry> CofferView::lookup(std::uint64_t parent, const std::string& name) {
  auto folder = node_of(parent);
  if (!folder) return std::move(folder).error();
  auto children = list(*folder);
  if (!children) return std::move(children).error();
  for (const auto& child : *children) {
    if (child.name != name) continue;
    std::lock_guard lock(mutex_);
    std::uint64_t ino = ino_for(child.node);
    return ViewEntry{ino, stat_of(ino, child.node)};
  }
  return make_error(Errc::not_found, "no such entry in .coffer");
}

void CofferView::forget(std::uint64_t ino, std::uint64_t count) {
  std::lock_guard lock(mutex_);
  auto it = nodes_.find(ino);
  if (it == nodes_.end() || ino == kViewInoBase) return;
  it->second.lookups -= std::min(count, it->second.lookups);
  if (it->second.lookups > 0) return;
  inos_.erase(key_of(it->second));
  nodes_.erase(it);
}

Result<struct stat> CofferView::getattr(std::uint64_t ino) {
  auto node = node_of(ino);
  if (!node) return std::move(node).error();
  return stat_of(ino, *node);
}

Result<std::uint64_t> CofferView::opendir(std::uint64_t ino) {
  auto folder = node_of(ino);
  if (!folder) return std::move(folder).error();
  auto children = list(*folder);
  if (!children) return std::move(children).error();
  std::lock_guard lock(mutex_);
  std::uint64_t fh = next_handle_++;
  dirs_[fh] = std::move(children).value();
  return fh;
}

Status CofferView::readdir(std::uint64_t fh, std::uint64_t offset, const vfs::DirEntrySink& add) {
  std::lock_guard lock(mutex_);
  auto it = dirs_.find(fh);
  if (it == dirs_.end()) return make_error(Errc::bad_handle, "no such folder handle");
  const auto& children = it->second;
  for (std::uint64_t i = offset; i < children.size() + 2; ++i) {
    vfs::DirEntryReply reply;
    reply.next_offset = i + 1;
    reply.ino = vfs::kUnknownIno;
    if (i < 2) {
      reply.name = i == 0 ? "." : "..";
      reply.mode = S_IFDIR;
    } else {
      reply.name = children[i - 2].name;
      reply.mode = children[i - 2].node.mode & S_IFMT;
    }
    if (!add(reply)) break;
  }
  return {};
}

void CofferView::releasedir(std::uint64_t fh) {
  std::lock_guard lock(mutex_);
  dirs_.erase(fh);
}

Result<std::uint64_t> CofferView::open(std::uint64_t ino, int flags) {
  if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)) return read_only();
  auto node = node_of(ino);
  if (!node) return std::move(node).error();
  if (node->kind != Kind::version && node->kind != Kind::trash_file) return make_error(Errc::is_a_directory, "a folder");
  vfs::BaseContent base{0, crypto::kDefaultChunkSize, {}};
  if (node->version > 0) {
    auto manifest = history_.manifest(node->node_id, *node->key, node->version);
    if (!manifest) return std::move(manifest).error();
    base = vfs::BaseContent{manifest->size, manifest->chunk_size, manifest->chunks};
  }
  auto content = std::make_shared<vfs::FileContent>(vfs_.content_services(), *node->key, std::move(base));
  std::lock_guard lock(mutex_);
  std::uint64_t fh = next_handle_++;
  files_[fh] = OpenFile{std::move(content)};
  return fh;
}

Result<std::size_t> CofferView::read(std::uint64_t fh, std::uint64_t offset, std::span<std::uint8_t> out) {
  std::shared_ptr<vfs::FileContent> content;
  {
    std::lock_guard lock(mutex_);
    auto it = files_.find(fh);
    if (it == files_.end()) return make_error(Errc::bad_handle, "no such file handle");
    content = it->second.content;
  }
  return content->read(offset, out);
}

void CofferView::release(std::uint64_t fh) {
  std::lock_guard lock(mutex_);
  files_.erase(fh);
}

}  // namespace coffer::history
