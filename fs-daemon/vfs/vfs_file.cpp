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
    auto manifest = fetch_manifest(id, key);
    lock.lock();
    if (!manifest) {
      suspect_share(node, manifest.error());
      return std::move(manifest).error();
    }
    if (auto fresh = services_.guard.check_version(id, manifest->version); !fresh) {
      spdlog::error("{}", fresh.error().message);
      node.broken = fresh.error();
      return std::move(fresh).error();
    }
    if (node.content) return node.content;
    if (node.broken) return *node.broken;  // its share was revoked meanwhile
    base = BaseContent{manifest->size, manifest->chunk_size, manifest->chunks};
    note_chunks(node, base.chunks);
    node.server_version = manifest->version;
    node.size = node.committed_size = manifest->size;
    node.committed_stored = crypto::stored_bytes(*manifest);
    node.size_unknown = false;
  }
  node.content = std::make_shared<FileContent>(services_.content, node.key, std::move(base));
  return node.content;
}

// Open is close-to-open against the change feed. While the feed follows the server, every other
// device's change reaches the mount through it (refresh_node) within its latency, so open asks
// the server only about a node the feed named and could not refresh yet (a new version of a
// file that was open). Without the feed (not started, or its last request failed), open asks
// about every node, unless the server is known not to answer: then what was cached is served.
bool Vfs::asks_server_on_open(const Node& node) const {
  if (!node.feed_changed && feed_live_) return false;
  return services_.connectivity.online();
}

// Close-to-open: a node without local changes in flight is checked against the server. A
// server that does not answer (within network.foreground_timeout) leaves the cached version
// in use when its content is loaded; without it the open needs the server and fails.
Status Vfs::revalidate(const std::shared_ptr<Node>& node, Lock& lock, bool& changed) {
  changed = false;
  bool local_changes = node->last_op_seq > services_.queue.acked_seq() || node->open_count > 0 ||
                       (node->content && node->content->dirty());
  if (local_changes || !asks_server_on_open(*node)) return {};
  const std::string id = node->id;
  lock.unlock();
  auto info = services_.remote.get_node(id);
  lock.lock();
  if (!info && info.error().code == Errc::unavailable && node->content) {
    spdlog::info("node {}: the server does not answer; opening the cached version ({})", id, info.error().message);
    return {};
  }
  if (!info) {
    suspect_share(*node, info.error());
    return info.error().code == Errc::not_found ? Status{} : Status{std::move(info).error()};
  }
  Status fresh = services_.guard.check_version(id, info->version);
  if (fresh) fresh = services_.guard.check_revision(id, info->attributes_revision);
  if (!fresh) {
    spdlog::error("{}", fresh.error().message);
    node->broken = fresh.error();
    return fresh;
  }
  // Changed here meanwhile (a write through a handle opened since): the record read is older.
  if (node->open_count > 0 || (node->content && node->content->dirty())) return {};
  if (info->version != node->server_version) {
    changed = true;
    node->content.reset();
  }
  node->feed_changed = false;
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
  if (writable(flags) || (flags & O_TRUNC)) COFFER_TRY_STATUS(check_changeable(*node));
  bool changed = false;
  COFFER_TRY_STATUS(revalidate(node, lock, changed));
  auto content = content_of(*node, lock);
  if (!content) return std::move(content).error();
  if ((flags & O_TRUNC) && writable(flags) && node->size > 0) {
    lock.unlock();  // a writer of this file may hold it while it reads a chunk
    Status truncated = (*content)->truncate(0);
    lock.lock();
    COFFER_TRY_STATUS(truncated);
    node->size = (*content)->size();
    touch_modify(*node);
  }
  std::uint64_t fh = next_handle_++;
  handles_[fh] = Handle{node, flags};
  ++node->open_count;
  return OpenReply{fh, !changed};
}

Result<CreateReply> Vfs::create(std::uint64_t parent, const std::string& name, std::uint32_t mode, int flags,
                                const Caller& caller) {
  Lock lock(tree_);
  auto folder = folder_of(parent, lock);
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
  auto n = (*content)->read(offset, out);
  if (!n) {
    std::lock_guard lock(tree_);
    if (auto handle = handle_of(fh)) suspect_share(*handle->node, n.error());
  }
  return n;
}

Result<std::size_t> Vfs::write(std::uint64_t fh, std::uint64_t offset, ByteView data, const Caller& caller) {
  std::shared_ptr<Node> node;
  std::shared_ptr<FileContent> content;
  {
    Lock lock(tree_);
    auto handle = handle_of(fh);
    if (!handle) return std::move(handle).error();
    node = handle->node;
    if (node->broken) return *node->broken;
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

namespace {

// A node's turn to commit (Node::committing): its content is encrypted without the tree lock,
// and its op must still follow the previous commit's in the journal. Ends with the lock held.
class CommitTurn {
 public:
  CommitTurn(Node& node, std::unique_lock<std::mutex>& lock, std::condition_variable& turns)
      : node_(node), lock_(lock), turns_(turns) {
    turns_.wait(lock_, [&] { return !node_.committing; });
    node_.committing = true;
  }
  ~CommitTurn() {
    if (!lock_.owns_lock()) lock_.lock();
    node_.committing = false;
    turns_.notify_all();
  }
  CommitTurn(const CommitTurn&) = delete;
  CommitTurn& operator=(const CommitTurn&) = delete;

 private:
  Node& node_;
  std::unique_lock<std::mutex>& lock_;
  std::condition_variable& turns_;
};

}  // namespace

Status Vfs::commit_content(Node& node, Lock& lock) {
  auto content = content_of(node, lock);
  if (!content) return std::move(content).error();
  std::uint64_t seq = 0;
  {
    CommitTurn turn(node, lock, commit_turns_);
    lock.unlock();
    auto prepared = (*content)->prepare_commit(options_.inline_limit);
    lock.lock();
    if (!prepared) return std::move(prepared).error();
    node.size = (*content)->size();  // a write may have grown it meanwhile; the next commit has it
    node.committed_size = prepared->size;
    node.committed_stored = prepared->stored_bytes;
    note_chunks(node, prepared->chunks);
    sync::EntryPlace place;
    // A shared file's folder is the mount's own `Shared with me/OWNER`, not a folder on the
    // server: a conflicted copy of it goes to the user's root (docs/client.md "Shared with me").
    auto parent = known_node(node.parent_id);
    if (parent && !parent->fixed) place = {parent->id, raw_key(parent->key), node.name};
    sync::CommitOp commit{node.id, raw_key(node.key), prepared->size, prepared->chunk_size, std::move(prepared->chunks),
                          attributes_to_record(node), std::move(prepared->inline_blobs), node.server_version,
                          std::move(place)};
    COFFER_TRY_STATUS(record_op(node, std::move(commit)));
    seq = node.last_op_seq;
  }
  if (!options_.journal_sync) return {};
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
  Lock lock(tree_);
  auto folder = folder_of(ino, lock);
  if (!folder) return std::move(folder).error();
  DirHandle handle;
  auto parent_it = nodes_.find((*folder)->parent_id);
  auto parent = parent_it == nodes_.end() ? nullptr : parent_it->second.lock();
  handle.entries.emplace_back(".", *folder);
  handle.entries.emplace_back("..", parent ? parent : *folder);
  for (const auto& [name, child] : *(*folder)->children) {
    if (!is_shared_name(**folder, name)) handle.entries.emplace_back(name, child.node);
  }
  if (*folder == root_ && shows_shares()) handle.entries.emplace_back(kSharedFolderName, shared_root_);
  std::uint64_t fh = next_handle_++;
  dir_handles_[fh] = std::move(handle);
  return fh;
}

// readdirplus answers with attributes: the sizes a record does not know are read from the
// manifests first, without the tree lock.
Status Vfs::size_entries(std::uint64_t fh, std::uint64_t offset, Lock& lock) {
  std::vector<std::shared_ptr<Node>> unsized;
  auto it = dir_handles_.find(fh);
  if (it == dir_handles_.end()) return make_error(Errc::bad_handle, "no such folder handle");
  const auto& entries = it->second.entries;
  for (std::uint64_t i = std::max<std::uint64_t>(offset, 2); i < entries.size(); ++i) {
    const auto& node = entries[i].second;
    if (node->size_unknown && !node->broken) unsized.push_back(node);
  }
  for (const auto& node : unsized) COFFER_TRY_STATUS(ensure_size(node, lock));
  return {};
}

Status Vfs::readdir(std::uint64_t fh, std::uint64_t offset, bool plus, const DirEntrySink& add) {
  Lock lock(tree_);
  if (plus) COFFER_TRY_STATUS(size_entries(fh, offset, lock));
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
    if (plus && !dot && !node->broken) reply.entry = reply_entry(node);
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
