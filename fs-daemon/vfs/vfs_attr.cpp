#include <sys/stat.h>

#include <algorithm>

#include "sync/record_meta.hpp"
#include "vfs/entry_codec.hpp"
#include "vfs/vfs.hpp"

// Attributes: mode, owner, times, extended attributes and the file system's totals. They live
// in the node's attribute record; a change queues a new record, never new content.
namespace coffer::vfs {
namespace {

constexpr std::size_t kMaxXattrName = 255;
constexpr std::size_t kMaxXattrValue = 65536;
constexpr std::uint64_t kStatfsBlock = 4096;
constexpr std::uint64_t kUnlimitedBytes = 1ull << 50;

SecureBytes raw_key(const crypto::FernetKey& key) { return SecureBytes(key.raw().begin(), key.raw().end()); }

crypto::Timestamp resolve(const TimeChange& change, const crypto::Timestamp& now) {
  return change.now ? now : change.time;
}

// Linux clears set-user-ID and set-group-ID (when group-executable) on a change of owner.
std::uint32_t without_privileges(std::uint32_t mode) {
  mode &= ~static_cast<std::uint32_t>(S_ISUID);
  if (mode & S_IXGRP) mode &= ~static_cast<std::uint32_t>(S_ISGID);
  return mode;
}

// The kernel reads neither POSIX ACLs nor security labels nor file capabilities from a FUSE
// file system's xattrs here (permissions are the mode bits under default_permissions, the mount
// is nosuid), so storing system.* or security.* would only pretend. Refusing them on read as
// well lets ls and libselinux note once per mount that the namespace is absent, instead of
// asking for every file.
bool unstored_namespace(std::string_view name) {
  return name.starts_with("system.") || name.starts_with("security.");
}

Error refuse_unstored(std::string_view name) {
  return make_error(Errc::unsupported, "the " + std::string(name.substr(0, name.find('.'))) +
                                           " xattr namespace is not stored");
}

}  // namespace

void Vfs::touch_change(Node& node) { node.attrs.ctime = now_timestamp(); }

void Vfs::touch_modify(Node& node) { node.attrs.mtime = node.attrs.ctime = now_timestamp(); }

Status Vfs::record_attributes(Node& node) {
  return record_op(node, sync::SetAttributesOp{node.id, raw_key(node.key), attributes_to_record(node),
                                               node.committed_size, node.server_version});
}

Status Vfs::record_folder_times(Node& folder) {
  auto seq = services_.queue.submit_folder_times(
      sync::SetAttributesOp{folder.id, raw_key(folder.key), attributes_to_record(folder), folder.committed_size,
                            folder.server_version},
      folder.share ? folder.share->node_id : std::string());
  if (!seq) return std::move(seq).error();
  // An fsync of the folder waits for the entry op just queued too, which may be newer than the
  // attribute op that took these times.
  folder.last_op_seq = std::max(*seq, services_.queue.last_seq());
  persist_node(folder.id);
  return {};
}

Result<struct stat> Vfs::setattr(std::uint64_t ino, const SetAttrRequest& request) {
  Lock lock(tree_);
  auto found = node_of(ino);
  if (!found) return std::move(found).error();
  std::shared_ptr<Node> node = *found;
  COFFER_TRY_STATUS(check_changeable(*node));
  const auto now = now_timestamp();
  if (request.size) {
    if (node->type == remote::NodeType::folder) return make_error(Errc::is_a_directory, "a folder has no size");
    if (node->type == remote::NodeType::special) return make_error(Errc::invalid_argument, "a special file has no size");
    auto content = content_of(*node, lock);
    if (!content) return std::move(content).error();
    lock.unlock();  // the chunk that then ends the file may have to be read first
    Status truncated = (*content)->truncate(*request.size);
    lock.lock();
    COFFER_TRY_STATUS(truncated);
    node->size = (*content)->size();
    node->attrs.mtime = now;
  }
  if (request.uid || request.gid) {
    if (request.uid) node->attrs.uid = *request.uid;
    if (request.gid) node->attrs.gid = *request.gid;
    if (node->type == remote::NodeType::file) node->attrs.mode = without_privileges(node->attrs.mode);
  }
  if (request.mode) node->attrs.mode = (node->attrs.mode & S_IFMT) | (*request.mode & 07777);
  if (request.atime) node->attrs.atime = resolve(*request.atime, now);
  if (request.mtime) node->attrs.mtime = resolve(*request.mtime, now);
  node->attrs.ctime = request.ctime.value_or(now);
  if (request.size && node->open_count == 0) {
    COFFER_TRY_STATUS(commit_content(*node, lock));
  } else {
    COFFER_TRY_STATUS(record_attributes(*node));
  }
  return stat_of(*node);
}

Result<std::string> Vfs::readlink(std::uint64_t ino) {
  std::lock_guard lock(tree_);
  auto node = node_of(ino);
  if (!node) return std::move(node).error();
  if ((*node)->type != remote::NodeType::symlink) return make_error(Errc::invalid_argument, "not a symlink");
  return (*node)->attrs.symlink_target;
}

Status Vfs::setxattr(std::uint64_t ino, const std::string& name, ByteView value, XattrMode mode) {
  if (unstored_namespace(name)) return refuse_unstored(name);
  if (sync::is_reserved_xattr(name)) return make_error(Errc::unsupported, "this attribute name is reserved");
  if (name.size() > kMaxXattrName) return make_error(Errc::out_of_range, "an xattr name is too long");
  if (value.size() > kMaxXattrValue) return make_error(Errc::value_too_large, "an xattr value is too large");
  std::lock_guard lock(tree_);
  auto node = node_of(ino);
  if (!node) return std::move(node).error();
  COFFER_TRY_STATUS(check_changeable(**node));
  auto& xattrs = (*node)->attrs.xattrs;
  bool exists = xattrs.contains(name);
  if (mode == XattrMode::create && exists) return make_error(Errc::already_exists, "the attribute exists");
  if (mode == XattrMode::replace && !exists) return make_error(Errc::no_attribute, "no such attribute");
  xattrs[name] = Bytes(value.begin(), value.end());
  touch_change(**node);
  return record_attributes(**node);
}

Result<Bytes> Vfs::getxattr(std::uint64_t ino, const std::string& name) {
  if (unstored_namespace(name)) return refuse_unstored(name);
  std::lock_guard lock(tree_);
  auto node = node_of(ino);
  if (!node) return std::move(node).error();
  auto it = (*node)->attrs.xattrs.find(name);
  if (it == (*node)->attrs.xattrs.end() || sync::is_reserved_xattr(name)) {
    return make_error(Errc::no_attribute, "no such attribute");
  }
  return it->second;
}

Result<std::vector<std::string>> Vfs::listxattr(std::uint64_t ino) {
  std::lock_guard lock(tree_);
  auto node = node_of(ino);
  if (!node) return std::move(node).error();
  std::vector<std::string> names;
  for (const auto& [name, value] : (*node)->attrs.xattrs) {
    if (!sync::is_reserved_xattr(name) && !unstored_namespace(name)) names.push_back(name);
  }
  return names;
}

Status Vfs::removexattr(std::uint64_t ino, const std::string& name) {
  if (unstored_namespace(name)) return refuse_unstored(name);
  std::lock_guard lock(tree_);
  auto node = node_of(ino);
  if (!node) return std::move(node).error();
  COFFER_TRY_STATUS(check_changeable(**node));
  if (sync::is_reserved_xattr(name) || (*node)->attrs.xattrs.erase(name) == 0) {
    return make_error(Errc::no_attribute, "no such attribute");
  }
  touch_change(**node);
  return record_attributes(**node);
}

// The server's count, or while it does not answer the last one it gave: `df` and file managers
// ask often, and the totals change slowly.
Result<remote::Usage> Vfs::usage_for_statfs() {
  std::optional<remote::Usage> known;
  {
    std::lock_guard lock(tree_);
    known = last_usage_;
  }
  if (known && !services_.connectivity.online()) return *known;
  auto usage = services_.remote.usage();
  if (!usage) {
    if (known && usage.error().code == Errc::unavailable) return *known;
    return std::move(usage).error();
  }
  std::lock_guard lock(tree_);
  last_usage_ = *usage;
  return usage;
}

Result<struct statvfs> Vfs::statfs() {
  auto usage = usage_for_statfs();
  if (!usage) return std::move(usage).error();
  std::uint64_t total = usage->quota.value_or(std::max(kUnlimitedBytes, usage->used * 2));
  std::uint64_t free = total > usage->used ? total - usage->used : 0;
  struct statvfs st {};
  st.f_bsize = kStatfsBlock;
  st.f_frsize = kStatfsBlock;
  st.f_blocks = total / kStatfsBlock;
  st.f_bfree = st.f_bavail = free / kStatfsBlock;
  st.f_files = 1ull << 32;
  st.f_ffree = st.f_favail = 1ull << 32;
  st.f_namemax = 255;
  return st;
}

}  // namespace coffer::vfs
