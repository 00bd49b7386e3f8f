#include <fcntl.h>
#include <sys/stat.h>

#include <spdlog/spdlog.h>

#include "crypto/manifest.hpp"
#include "vfs/entry_codec.hpp"
#include "vfs/vfs.hpp"

// File handles and bytes, with close-to-open semantics: open revalidates against the server,
// close commits the content to the journal, fsync waits until the server has the version.
namespace coffer::vfs {
namespace {

SecureBytes raw_key(const crypto::FernetKey& key) { return SecureBytes(key.raw().begin(), key.raw().end()); }

bool writable(int flags) { return (flags & O_ACCMODE) != O_RDONLY; }

}  // namespace

Result<Vfs::Handle> Vfs::handle_of(std::uint64_t fh) const {
  auto it = handles_.find(fh);
  if (it == handles_.end()) return make_error(Errc::bad_handle, "no such file handle");
  return it->second;
}

// The content of the server's current version, verified: the manifest opens under the node's
// key, names this node and the version the server calls current, and is not older than any
// version this profile has seen.
Result<std::shared_ptr<FileContent>> Vfs::content_of(Node& node, Lock& lock) {
  if (node.content) return node.content;
  BaseContent base{0, options_.chunk_size, {}};
  if (node.server_version > 0) {
    const std::string id = node.id;
    const crypto::FernetKey key = node.key;
    lock.unlock();
    auto version = services_.remote.get_version(id, std::nullopt);
    Result<crypto::Manifest> manifest = make_error(Errc::internal, "");
    if (version) manifest = crypto::open_manifest(key, id, version->manifest);
    lock.lock();
    if (!version) return std::move(version).error();
    if (!manifest || manifest->version != version->version) {
      std::string why = manifest ? "it names another version" : manifest.error().message;
      spdlog::error("node {}: the manifest is refused: {}", id, why);
      return make_error(Errc::integrity, "node " + id + ": manifest refused: " + why);
    }
    if (auto fresh = services_.guard.check_version(id, manifest->version); !fresh) {
      spdlog::error("{}", fresh.error().message);
      node.broken = fresh.error();
      return std::move(fresh).error();
    }
    if (node.content) return node.content;
    base = BaseContent{manifest->size, manifest->chunk_size, manifest->chunks};
    node.server_version = manifest->version;
    node.size = node.committed_size = manifest->size;
    node.committed_stored = crypto::stored_bytes(*manifest);
    node.size_unknown = false;
  }
  node.content = std::make_shared<FileContent>(services_.content, node.key, std::move(base));
  return node.content;
}

// Close-to-open: a node without local changes in flight is checked against the server.
Status Vfs::revalidate(const std::shared_ptr<Node>& node, Lock& lock, bool& changed) {
  changed = false;
  bool local_changes = node->last_op_seq > services_.queue.acked_seq() || node->open_count > 0 ||
                       (node->content && node->content->dirty());
  if (local_changes) return {};
  const std::string id = node->id;
  lock.unlock();
  auto info = services_.remote.get_node(id);
  lock.lock();
  if (!info) return info.error().code == Errc::not_found ? Status{} : Status{std::move(info).error()};
  Status fresh = services_.guard.check_version(id, info->version);
  if (fresh) fresh = services_.guard.check_revision(id, info->attributes_revision);
  if (!fresh) {
    spdlog::error("{}", fresh.error().message);
    node->broken = fresh.error();
    return fresh;
  }
  if (info->version != node->server_version) {
    changed = true;
    node->content.reset();
  }
  COFFER_TRY_STATUS(apply_node_record(*node, *info));
  return {};
}

Result<OpenReply> Vfs::open(std::uint64_t ino, int flags) {
  Lock lock(tree_);
  auto found = node_of(ino);
  if (!found) return std::move(found).error();
  std::shared_ptr<Node> node = *found;
  if (node->type == remote::NodeType::folder) return make_error(Errc::is_a_directory, "a folder");
  // The kernel opens FIFOs, sockets and devices itself (init_special_inode) and never asks;
  // they have no content to reach here.
  if (node->type == remote::NodeType::special) return make_error(Errc::not_permitted, "a special file has no content");
  bool changed = false;
  COFFER_TRY_STATUS(revalidate(node, lock, changed));
  auto content = content_of(*node, lock);
  if (!content) return std::move(content).error();
  if ((flags & O_TRUNC) && writable(flags) && node->size > 0) {
    COFFER_TRY_STATUS((*content)->truncate(0));
    node->size = 0;
    touch_modify(*node);
  }
  std::uint64_t fh = next_handle_++;
  handles_[fh] = Handle{node, flags};
  ++node->open_count;
  return OpenReply{fh, !changed};
}

Result<CreateReply> Vfs::create(std::uint64_t parent, const std::string& name, std::uint32_t mode, int flags,
                                const Caller& caller) {
  std::lock_guard lock(tree_);
  auto folder = folder_of(parent);
  if (!folder) return std::move(folder).error();
  auto node = make_node(**folder, name, NodeSpec{remote::NodeType::file, mode, {}, 0}, caller);
  if (!node) return std::move(node).error();
  (*node)->content = std::make_shared<FileContent>(services_.content, (*node)->key,
                                                   BaseContent{0, options_.chunk_size, {}});
  std::uint64_t fh = next_handle_++;
  handles_[fh] = Handle{*node, flags};
  ++(*node)->open_count;
  return CreateReply{reply_entry(*node), OpenReply{fh, true}};
}

// The content behind an open handle, for reading: a node found tampered with stays refused.
Result<std::shared_ptr<FileContent>> Vfs::content_for_reading(std::uint64_t fh) {
  Lock lock(tree_);
  auto handle = handle_of(fh);
  if (!handle) return std::move(handle).error();
  if (handle->node->broken) return *handle->node->broken;
  return content_of(*handle->node, lock);
}

Result<std::size_t> Vfs::read(std::uint64_t fh, std::uint64_t offset, std::span<std::uint8_t> out) {
  auto content = content_for_reading(fh);
  if (!content) return std::move(content).error();
  return (*content)->read(offset, out);
}

Result<std::size_t> Vfs::write(std::uint64_t fh, std::uint64_t offset, ByteView data, const Caller& caller) {
  std::shared_ptr<Node> node;
  std::shared_ptr<FileContent> content;
  {
    Lock lock(tree_);
    auto handle = handle_of(fh);
    if (!handle) return std::move(handle).error();
    node = handle->node;
    auto loaded = content_of(*node, lock);
    if (!loaded) return std::move(loaded).error();
    content = *loaded;
  }
  COFFER_TRY_STATUS(content->write(offset, data));
  std::lock_guard lock(tree_);
  node->size = content->size();
  touch_modify(*node);
  // Writing drops set-user-ID, and set-group-ID of a group-executable file, as on any Linux
  // file system (root keeps them).
  if (caller.uid != 0 && (node->attrs.mode & (S_ISUID | S_ISGID))) {
    node->attrs.mode &= ~static_cast<std::uint32_t>(S_ISUID);
    if (node->attrs.mode & S_IXGRP) node->attrs.mode &= ~static_cast<std::uint32_t>(S_ISGID);
  }
  return data.size();
}

Status Vfs::commit_content(Node& node, Lock& lock) {
  auto content = content_of(node, lock);
  if (!content) return std::move(content).error();
  auto prepared = (*content)->prepare_commit(options_.inline_limit);
  if (!prepared) return std::move(prepared).error();
  node.size = node.committed_size = prepared->size;
  node.committed_stored = prepared->stored_bytes;
  sync::EntryPlace place;
  if (auto parent = known_node(node.parent_id)) place = {parent->id, raw_key(parent->key), node.name};
  sync::CommitOp commit{node.id, raw_key(node.key), prepared->size, prepared->chunk_size, std::move(prepared->chunks),
                        attributes_to_record(node), std::move(prepared->inline_blobs), node.server_version,
                        std::move(place)};
  COFFER_TRY_STATUS(record_op(node, std::move(commit)));
  if (!options_.journal_sync) return {};
  std::uint64_t seq = node.last_op_seq;
  lock.unlock();
  Status synced = services_.journal.sync(seq);
  lock.lock();
  return synced;
}

Result<std::uint64_t> Vfs::lseek(std::uint64_t fh, std::int64_t offset, int whence) {
  if (whence != SEEK_DATA && whence != SEEK_HOLE) {
    return make_error(Errc::invalid_argument, "lseek: not SEEK_DATA or SEEK_HOLE");
  }
  if (offset < 0) return make_error(Errc::past_end, "a negative offset");  // as ext4 answers
  auto content = content_for_reading(fh);
  if (!content) return std::move(content).error();
  const SeekTarget target = whence == SEEK_DATA ? SeekTarget::data : SeekTarget::hole;
  return (*content)->seek(static_cast<std::uint64_t>(offset), target);
}

Status Vfs::flush(std::uint64_t fh) {
  Lock lock(tree_);
  auto handle = handle_of(fh);
  if (!handle) return std::move(handle).error();
  std::shared_ptr<Node> node = handle->node;
  if (node->content && node->content->dirty() && node->nlink > 0) return commit_content(*node, lock);
  if (!options_.journal_sync || node->last_op_seq == 0) return {};
  std::uint64_t seq = node->last_op_seq;
  lock.unlock();
  return services_.journal.sync(seq);
}

Status Vfs::release(std::uint64_t fh) {
  Lock lock(tree_);
  auto handle = handle_of(fh);
  if (!handle) return std::move(handle).error();
  handles_.erase(fh);
  std::shared_ptr<Node> node = handle->node;
  if (node->open_count > 0) --node->open_count;
  if (node->content && node->content->dirty() && node->nlink > 0) return commit_content(*node, lock);
  return {};
}

Status Vfs::fsync(std::uint64_t ino) {
  std::uint64_t seq = 0;
  {
    Lock lock(tree_);
    auto node = node_of(ino);
    if (!node) return std::move(node).error();
    if ((*node)->content && (*node)->content->dirty() && (*node)->nlink > 0) {
      COFFER_TRY_STATUS(commit_content(**node, lock));
    }
    seq = (*node)->last_op_seq;
  }
  if (seq == 0) return {};
  return services_.queue.wait_for(seq, std::chrono::steady_clock::now() + options_.fsync_timeout);
}

Result<std::uint64_t> Vfs::opendir(std::uint64_t ino) {
  std::lock_guard lock(tree_);
  auto folder = folder_of(ino);
  if (!folder) return std::move(folder).error();
  DirHandle handle;
  auto parent_it = nodes_.find((*folder)->parent_id);
  auto parent = parent_it == nodes_.end() ? nullptr : parent_it->second.lock();
  handle.entries.emplace_back(".", *folder);
  handle.entries.emplace_back("..", parent ? parent : *folder);
  for (const auto& [name, child] : *(*folder)->children) handle.entries.emplace_back(name, child.node);
  std::uint64_t fh = next_handle_++;
  dir_handles_[fh] = std::move(handle);
  return fh;
}

Status Vfs::readdir(std::uint64_t fh, std::uint64_t offset, bool plus, const DirEntrySink& add) {
  std::lock_guard lock(tree_);
  auto it = dir_handles_.find(fh);
  if (it == dir_handles_.end()) return make_error(Errc::bad_handle, "no such folder handle");
  const auto& entries = it->second.entries;
  for (std::uint64_t i = offset; i < entries.size(); ++i) {
    const auto& [name, node] = entries[i];
    DirEntryReply reply;
    reply.name = name;
    reply.mode = node->attrs.mode & S_IFMT;
    reply.next_offset = i + 1;
    bool dot = i < 2;
    if (plus && !dot && !node->broken) {
      if (auto sized = ensure_size(*node); !sized) return sized;
      reply.entry = reply_entry(node);
    }
    reply.ino = node->ino != 0 ? node->ino : kUnknownIno;
    if (!add(reply)) {
      if (reply.entry) inodes_.forget(reply.entry->ino, 1);
      break;
    }
  }
  return {};
}

void Vfs::releasedir(std::uint64_t fh) {
  std::lock_guard lock(tree_);
  dir_handles_.erase(fh);
}

}  // namespace coffer::vfs
