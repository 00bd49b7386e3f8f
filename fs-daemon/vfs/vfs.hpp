#pragma once

#include <sys/stat.h>
#include <sys/statvfs.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cache/version_guard.hpp"
#include "crypto/manifest.hpp"
#include "remote/connectivity.hpp"
#include "remote/remote_api.hpp"
#include "sharing/incoming_shares.hpp"
#include "sync/upload_queue.hpp"
#include "vfs/file_content.hpp"
#include "vfs/inode_table.hpp"
#include "vfs/metadata_marks.hpp"
#include "vfs/node.hpp"

namespace coffer::sync {
struct VerifiedFolder;
}

namespace coffer::vfs {

// The name reserved at the mount's root for what other users shared with this one.
inline constexpr const char* kSharedFolderName = "Shared with me";

// Who asks: the kernel's view of the calling process.
struct Caller {
  std::uint32_t uid = 0;
  std::uint32_t gid = 0;
};

// What a new node is beyond its name: its type, the mode as the caller gave it (a special file
// takes its S_IFMT bits from it), and the parts of the record only some types have.
struct NodeSpec {
  remote::NodeType type = remote::NodeType::file;
  std::uint32_t mode = 0;
  std::string symlink_target;  // symlinks
  std::uint64_t rdev = 0;      // character and block devices
};

struct EntryReply {
  std::uint64_t ino = 0;
  std::uint64_t generation = 0;
  struct stat attr {};
};

struct OpenReply {
  std::uint64_t fh = 0;
  bool keep_cache = false;  // the kernel's cached pages of this file are still current
};

struct CreateReply {
  EntryReply entry;
  OpenReply open;
};

struct DirEntryReply {
  std::string name;
  std::optional<EntryReply> entry;  // readdirplus: the node's entry (one lookup counted); "." and "..": none
  std::uint32_t mode = 0;           // file type bits
  std::uint64_t ino = 0;
  std::uint64_t next_offset = 0;
};

// Receives readdir entries; false: no room for this one (it is not counted as returned).
using DirEntrySink = std::function<bool(const DirEntryReply&)>;
inline constexpr std::uint64_t kUnknownIno = 0xffffffff;

struct TimeChange {
  bool now = false;
  crypto::Timestamp time;
};

struct SetAttrRequest {
  std::optional<std::uint32_t> mode;
  std::optional<std::uint32_t> uid;
  std::optional<std::uint32_t> gid;
  std::optional<std::uint64_t> size;
  std::optional<TimeChange> atime;
  std::optional<TimeChange> mtime;
  std::optional<crypto::Timestamp> ctime;
};

enum class RenameMode { replace, noreplace, exchange };
enum class XattrMode { any, create, replace };

// Tells the kernel to drop what it cached (implemented by the FUSE adaptor).
class KernelNotifier {
 public:
  virtual ~KernelNotifier() = default;
  virtual void invalidate_inode(std::uint64_t ino) = 0;
  virtual void invalidate_entry(std::uint64_t parent_ino, const std::string& name) = 0;
  // The name is gone and `child_ino` was the node it named (the kernel drops the entry and, for
  // a folder that is nobody's mount point and holds no cached entries, marks it deleted).
  virtual void delete_entry(std::uint64_t parent_ino, std::uint64_t child_ino, const std::string& name) = 0;
};

// What the kernel must forget after a change it did not make, gathered under the tree lock and
// sent once it is released: a notification can make the kernel call back into lookup.
struct KernelNotices {
  struct Deletion {
    std::uint64_t parent_ino = 0;
    std::uint64_t child_ino = 0;
    std::string name;
  };
  std::vector<Deletion> deletions;
  std::vector<std::pair<std::uint64_t, std::string>> entries;  // (folder, name)
  std::vector<std::uint64_t> inodes;                            // attributes and cached pages
};

// A node as the history module sees it (vfs_history.cpp): enough to read its versions, its
// listing or its trashed children, copied out under the tree lock.
struct NodeRef {
  std::string id;
  remote::NodeType type = remote::NodeType::file;
  crypto::FernetKey key;
  std::string name;       // "" for the root
  std::string parent_id;  // "" for the root
  std::uint64_t server_version = 0;
  std::uint64_t last_op_seq = 0;  // the latest journal op about it (0: none)
};

// Fills a new file's content (Vfs::create_file), a chunk at a time.
using ContentFiller = std::function<Status(FileContent& content)>;

struct VfsOptions {
  std::uint32_t chunk_size = crypto::kDefaultChunkSize;  // for new content
  std::uint64_t inline_limit = 256u << 10;
  bool journal_sync = true;                              // close waits for the journal's fsync
  std::chrono::seconds fsync_timeout{300};
};

struct VfsServices {
  remote::RemoteApi& remote;  // on behalf of FUSE operations: bounded (network.foreground_timeout)
  const remote::Connectivity& connectivity;
  sync::UploadQueue& queue;
  sync::Journal& journal;
  cache::VersionGuard& guard;
  ContentServices& content;
};

// The file system without FUSE: every operation of the mount on nodes, names and bytes,
// returning values or coffer::Errc errors (the FUSE adaptor maps them to errno once).
// Changes apply here at once and reach the server through the journal and upload queue.
//
// Lock order: tree_ -> FileContent::mutex_ -> UploadQueue::mutex_ -> leaf locks (Journal,
// ChunkCache, PlainChunkCache, VersionGuard, ChunkReader, Connectivity, MetadataCache). tree_ guards every
// Node, the inode table, the handle tables and the loads in flight; it is never held across a
// call to the server or the encryption of a chunk: listings, manifests and nodes are fetched
// and verified without it and adopted under it, after checking again what may have changed
// meanwhile (docs/client.md "Server slow or unreachable").
class Vfs {
 public:
  Vfs(VfsServices services, VfsOptions options, std::shared_ptr<Node> root);
  ~Vfs();

  Result<EntryReply> lookup(std::uint64_t parent, const std::string& name);
  void forget(std::uint64_t ino, std::uint64_t count);
  Result<struct stat> getattr(std::uint64_t ino);
  Result<struct stat> setattr(std::uint64_t ino, const SetAttrRequest& request);
  Result<std::string> readlink(std::uint64_t ino);

  Result<EntryReply> mkdir(std::uint64_t parent, const std::string& name, std::uint32_t mode, const Caller& caller);
  // S_IFREG makes an empty file; S_IFIFO, S_IFSOCK, S_IFCHR and S_IFBLK a special file, which
  // keeps `rdev` for the two kinds of device.
  Result<EntryReply> mknod(std::uint64_t parent, const std::string& name, std::uint32_t mode, std::uint64_t rdev,
                           const Caller& caller);
  Result<EntryReply> symlink(const std::string& target, std::uint64_t parent, const std::string& name,
                             const Caller& caller);
  Result<EntryReply> link(std::uint64_t ino, std::uint64_t new_parent, const std::string& new_name);
  Status unlink(std::uint64_t parent, const std::string& name);
  Status rmdir(std::uint64_t parent, const std::string& name);
  Status rename(std::uint64_t parent, const std::string& name, std::uint64_t new_parent, const std::string& new_name,
                RenameMode mode);

  Result<OpenReply> open(std::uint64_t ino, int flags);
  Result<CreateReply> create(std::uint64_t parent, const std::string& name, std::uint32_t mode, int flags,
                             const Caller& caller);
  Result<std::size_t> read(std::uint64_t fh, std::uint64_t offset, std::span<std::uint8_t> out);
  Result<std::size_t> write(std::uint64_t fh, std::uint64_t offset, ByteView data, const Caller& caller);
  Status flush(std::uint64_t fh);
  Status release(std::uint64_t fh);
  Status fsync(std::uint64_t ino);
  // SEEK_DATA or SEEK_HOLE from `offset` (the kernel answers the other whence values itself).
  // Data and holes are whole chunks; the end of the file counts as a hole. Errc::past_end
  // (ENXIO) at or past the end, or when no data follows, as ext4 answers.
  Result<std::uint64_t> lseek(std::uint64_t fh, std::int64_t offset, int whence);

  Result<std::uint64_t> opendir(std::uint64_t ino);
  // Hands entries from `offset` on to `add` until it returns false (the reply buffer is full).
  Status readdir(std::uint64_t fh, std::uint64_t offset, bool plus, const DirEntrySink& add);
  void releasedir(std::uint64_t fh);

  Result<struct statvfs> statfs();
  Status setxattr(std::uint64_t ino, const std::string& name, ByteView value, XattrMode mode);
  Result<Bytes> getxattr(std::uint64_t ino, const std::string& name);
  Result<std::vector<std::string>> listxattr(std::uint64_t ino);
  Status removexattr(std::uint64_t ino, const std::string& name);

  // The change feed's entry points (vfs_feed.cpp): read one folder's entries, or one node, again
  // from the server, verified exactly as on first use (a feed entry is a hint, never data), swap
  // the new state in and tell the kernel what changed. Nothing happens to what the mount never
  // read. `deferred`: the mount holds changes of that node not yet on the server, or an open
  // file got a new version (close-to-open): ask again later.
  enum class Refresh { done, deferred };
  Result<Refresh> refresh_folder(const std::string& folder_id);
  Result<Refresh> refresh_node(const std::string& node_id);
  void set_notifier(KernelNotifier* notifier);
  // Whether the change feed follows the server now (its last request was answered): then every
  // other device's change reaches the mount through it, and open asks the server only about
  // nodes it named (see revalidate).
  void set_feed_live(bool live) { feed_live_ = live; }
  // The upload queue's listener: the server committed `version` of a node.
  void on_committed(const std::string& node_id, std::uint64_t version);
  // Where this mount lists a node ("/a/b"), for `coffer status`; "" when no listing here names
  // it (removed since, or in a folder never listed).
  std::string path_of(const std::string& node_id) const;
  // The upload queue's conflict listener (vfs_feed.cpp): a local edit kept as a new file, or an
  // entry a remove left, joins its folder's listing; the node whose edit lost shows the
  // server's record unless it has newer local changes or is open (then its next open
  // revalidates). No network call: everything comes in the notice, checked by the guard.
  void on_conflict(const sync::ConflictNotice& notice);

  // History (vfs_history.cpp; docs/client.md "Versions and trash"). resolve_path: the node at
  // `path` from the cloud's root ("/docs/a.txt"), listing folders on the way. find_folder: a
  // live folder by id, from what the mount knows, else by listing the tree breadth first;
  // Errc::not_found when no live folder has that id. folder_names: a live folder's names.
  Result<NodeRef> resolve_path(const std::string& path);
  Result<NodeRef> find_folder(const std::string& folder_id);
  Result<std::vector<std::string>> folder_names(const std::string& folder_id);
  // A file's content becomes `base` (an older version's chunks, under the same key) and is
  // committed like a close after a write: a new version, queued behind the file's earlier ops.
  // Errc::conflict while a program holds unsaved writes to it. The kernel drops its pages.
  Status restore_content(const std::string& node_id, BaseContent base);
  // A new file `name` in a live folder, mode `mode`, its bytes written by `fill` and committed.
  Result<NodeRef> create_file(const std::string& folder_id, const std::string& name, std::uint32_t mode,
                              const Caller& caller, const ContentFiller& fill);
  ContentServices& content_services() { return services_.content; }

  // "Shared with me" (vfs_shares.cpp; docs/client.md "Shared with me"). enable_shares(): the
  // folder is at the root from now on (the daemon; a Vfs without it has none). apply_shares():
  // the grants as sharing::IncomingShares lists them now: a new one appears under its owner's
  // folder, a changed role applies at once, and one no longer listed (or whose key changed) is
  // revoked: its nodes answer EACCES and leave the tree and the kernel, its queued ops leave
  // the queue and the journal (each logged), its cached chunks are deleted. The listener
  // (called under the tree lock, so it may only take a leaf lock) hears of every "not found" or "forbidden" the server answers about a node reached
  // through a share: the grant may be gone. share_count(): the shares shown.
  void enable_shares();
  void apply_shares(std::vector<sharing::IncomingShare> shares);
  void set_share_listener(std::function<void()> listener) {
    std::lock_guard lock(tree_);
    share_listener_ = std::move(listener);
  }
  std::size_t share_count() const;

  // The persistent metadata cache (vfs_persist.cpp; docs/client.md, "Metadata cache"). Attached
  // before the kernel's first request: from then on every verified listing, refresh and change
  // of this mount is marked to be written. serve_metadata(): folders load from the cache
  // instead of the server, once the change feed has caught up from the cache's cursor.
  // detach_metadata(): neither any more (the cache is being emptied).
  void attach_metadata(cache::MetadataCache* cache);
  void serve_metadata();
  void detach_metadata();
  // The marks whose nodes the server has caught up with, as plain records (the writer seals
  // them without the tree lock); metadata_written() once they are in the cache.
  MetadataSnapshot take_metadata_snapshot();
  void metadata_written(const MetadataSnapshot& snapshot);

 private:
  struct Handle {
    std::shared_ptr<Node> node;
    int flags = 0;
  };
  struct DirHandle {
    std::vector<std::pair<std::string, std::shared_ptr<Node>>> entries;
  };
  using Lock = std::unique_lock<std::mutex>;
  // An entry of a listing read from the server, opened and checked against the guard (`fresh`)
  // without the tree lock, before it joins the tree.
  struct OpenedChild {
    std::string name;
    std::string name_tag;
    std::shared_ptr<Node> node;
    Status fresh;
  };

  // vfs_tree.cpp. Functions taking a Lock may release it while they wait for the server and
  // return with it held; what the caller looked up before may have changed meanwhile.
  Result<std::shared_ptr<Node>> node_of(std::uint64_t ino) const;
  Result<std::shared_ptr<Node>> folder_of(std::uint64_t ino, Lock& lock);
  Status ensure_listed(const std::shared_ptr<Node>& folder, Lock& lock);
  Result<std::vector<OpenedChild>> fetch_listing(const Node& folder);
  std::vector<OpenedChild> open_children(const Node& folder, const sync::VerifiedFolder& verified);
  Listing adopt_children(const Node& folder, std::vector<OpenedChild> opened);
  std::shared_ptr<Node> adopt(std::shared_ptr<Node> fresh);
  EntryReply reply_entry(const std::shared_ptr<Node>& node);
  Result<crypto::Manifest> fetch_manifest(const std::string& node_id, const crypto::FernetKey& key);
  Status ensure_size(const std::shared_ptr<Node>& node, Lock& lock);
  struct stat stat_of(const Node& node) const;
  Result<std::shared_ptr<Node>> child_of(const std::shared_ptr<Node>& folder, const std::string& name, Lock& lock);
  std::optional<std::string> folder_path(const Node& folder) const;

  // vfs_feed.cpp
  std::shared_ptr<Node> known_node(const std::string& node_id) const;
  bool has_unsent_changes(const Node& node) const;
  Result<Refresh> refused(Node& node, Error error);
  void notify(const KernelNotices& notices);
  void show_server_record(const sync::ConflictNotice& notice, KernelNotices& notices);
  void show_kept_entry(const sync::ConflictNotice& notice, KernelNotices& notices);

  // vfs_namespace.cpp
  Result<std::shared_ptr<Node>> make_node(Node& parent, const std::string& name, NodeSpec spec, const Caller& caller);
  Status remove_entry(const std::shared_ptr<Node>& parent, const std::string& name, bool folder, Lock& lock);
  Status detach_child(Node& parent, const std::string& name, const ChildEntry& child);
  Status check_rename(const Node& from, Node& to, const std::string& new_name, RenameMode mode,
                      const ChildEntry& source, const ChildEntry* target);
  Status move_entry(Node& from, Node& to, const std::string& name, const std::string& new_name, RenameMode mode,
                    const ChildEntry& source, const ChildEntry* target);
  bool is_ancestor(const Node& maybe_ancestor, const Node& node) const;

  // vfs_attr.cpp
  Status record_attributes(Node& node);
  // A folder's attributes after a change to its entries: see UploadQueue::submit_folder_times.
  Status record_folder_times(Node& folder);
  void touch_change(Node& node);
  void touch_modify(Node& node);
  Result<remote::Usage> usage_for_statfs();

  // vfs_history.cpp
  NodeRef ref_of(const Node& node) const;

  // vfs_shares.cpp
  bool is_shared_name(const Node& folder, const std::string& name) const;
  bool shows_shares() const { return shared_root_ && !shared_root_->children->empty(); }
  Status check_changeable(const Node& node) const;
  Status check_same_tree(const Node& a, const Node& b) const;
  void suspect_share(const Node& node, const Error& error) const;
  void note_chunks(const Node& node, const ChunkList& chunks) const;
  std::shared_ptr<Node> fixed_folder(const std::string& id, const Node& parent, const std::string& name);
  void add_share(sharing::IncomingShare share, KernelNotices& notices);
  void revoke_share(const std::shared_ptr<ShareScope>& scope, KernelNotices& notices, std::vector<std::string>& chunks);
  void detach_share_root(const ShareScope& scope, KernelNotices& notices);
  std::string path_locked(const std::string& node_id) const;

  // vfs_persist.cpp
  bool load_cached_listing(Node& folder);
  Status cached_children(const CachedListing& listing, std::vector<OpenedChild>& opened);
  Result<std::shared_ptr<Node>> cached_node(const std::string& node_id);
  void persist_listing(const Node& folder);
  void persist_node(const std::string& node_id);
  void persist_op(const Node& node, const sync::OpBody& op);
  void forget_listing(const std::string& folder_id);
  void forget_node(const std::string& node_id);

  // vfs_file.cpp
  Result<std::shared_ptr<FileContent>> content_of(Node& node, Lock& lock);
  Result<std::shared_ptr<FileContent>> content_for_reading(std::uint64_t fh);
  Status commit_content(Node& node, Lock& lock);
  Status revalidate(const std::shared_ptr<Node>& node, Lock& lock, bool& changed);
  bool asks_server_on_open(const Node& node) const;
  Status size_entries(std::uint64_t fh, std::uint64_t offset, Lock& lock);
  Result<Handle> handle_of(std::uint64_t fh) const;
  Status record_op(Node& node, sync::OpBody op);

  VfsServices services_;
  VfsOptions options_;
  mutable std::mutex tree_;
  std::shared_ptr<Node> root_;
  InodeTable inodes_;
  std::unordered_map<std::string, std::weak_ptr<Node>> nodes_;  // by node id: one Node per node
  std::unordered_map<std::uint64_t, Handle> handles_;
  std::unordered_map<std::uint64_t, DirHandle> dir_handles_;
  std::uint64_t next_handle_ = 1;
  KernelNotifier* notifier_ = nullptr;
  // Folders whose listing is being loaded (by folder id): their other users wait for that load.
  std::unordered_map<std::string, std::shared_future<Status>> listing_loads_;
  std::condition_variable commit_turns_;  // a node's commit waits for the one before (Node::committing)
  std::optional<remote::Usage> last_usage_;  // statfs while the server does not answer
  std::atomic<bool> feed_live_{false};
  MetadataMarks metadata_;
  std::shared_ptr<Node> shared_root_;  // `Shared with me`, once enable_shares()
  std::map<std::string, std::shared_ptr<ShareScope>> shares_;  // by granted node id
  std::function<void()> share_listener_;
};

crypto::Timestamp now_timestamp();

}  // namespace coffer::vfs
