#include "fuse/fuse_ops.hpp"

#include <spdlog/spdlog.h>
#include <sys/xattr.h>

#include <cstring>
#include <memory>
#include <vector>

#include "fuse/errno_map.hpp"

namespace coffer::fuse {
namespace {

FuseContext& context(fuse_req_t req) { return *static_cast<FuseContext*>(fuse_req_userdata(req)); }
vfs::Vfs& vfs_of(fuse_req_t req) { return *context(req).vfs; }
history::CofferView& view_of(fuse_req_t req) { return *context(req).view; }

// The kernel may keep what the `.coffer` view answers this long: its listings change with every
// commit and trashing, and are asked of the server again at each opendir.
constexpr double kViewTimeout = 1.0;

// Without a view (a test mount), `.coffer` is a name like any other.
bool in_view(fuse_req_t req, fuse_ino_t ino) { return context(req).view && history::CofferView::owns(ino); }
bool is_view_name(fuse_req_t req, fuse_ino_t parent, const char* name) {
  return context(req).view && parent == vfs::kRootIno && std::strcmp(name, history::kViewName) == 0;
}
Error read_only() { return Error(Errc::read_only, "the .coffer view is read-only"); }
// `.coffer` in the mount's root, or anything below it: a change there is refused.
bool touches_view(fuse_req_t req, fuse_ino_t parent, const char* name) {
  return in_view(req, parent) || is_view_name(req, parent, name);
}

vfs::Caller caller_of(fuse_req_t req) {
  const fuse_ctx* ctx = fuse_req_ctx(req);
  return {static_cast<std::uint32_t>(ctx->uid), static_cast<std::uint32_t>(ctx->gid)};
}

// The one exception barrier: a callback that throws answers EIO instead of killing the mount.
template <class F>
void guarded(fuse_req_t req, F&& body) noexcept {
  try {
    body();
  } catch (const std::exception& e) {
    spdlog::error("internal error: {}", e.what());
    fuse_reply_err(req, EIO);
  } catch (...) {
    spdlog::error("internal error");
    fuse_reply_err(req, EIO);
  }
}

fuse_entry_param entry_param(fuse_req_t req, const vfs::EntryReply& reply) {
  fuse_entry_param e{};
  e.ino = reply.ino;
  e.generation = reply.generation;
  e.attr = reply.attr;
  e.attr_timeout = e.entry_timeout = context(req).attr_timeout;
  return e;
}

void reply_status(fuse_req_t req, const Status& status) { fuse_reply_err(req, status ? 0 : errno_of(status.error())); }

// Answers a change to the `.coffer` view with EROFS; false when the change is not one.
bool refused_in_view(fuse_req_t req, fuse_ino_t parent, const char* name) {
  if (!touches_view(req, parent, name)) return false;
  fuse_reply_err(req, errno_of(read_only()));
  return true;
}

void reply_view_entry(fuse_req_t req, const Result<history::ViewEntry>& reply) {
  if (!reply) return (void)fuse_reply_err(req, errno_of(reply.error()));
  fuse_entry_param e{};
  e.ino = reply->ino;
  e.attr = reply->attr;
  e.attr_timeout = e.entry_timeout = kViewTimeout;
  fuse_reply_entry(req, &e);
}

void reply_entry(fuse_req_t req, const Result<vfs::EntryReply>& reply) {
  if (!reply) return (void)fuse_reply_err(req, errno_of(reply.error()));
  auto e = entry_param(req, *reply);
  fuse_reply_entry(req, &e);
}

void reply_attr(fuse_req_t req, const Result<struct stat>& attr) {
  if (!attr) return (void)fuse_reply_err(req, errno_of(attr.error()));
  fuse_reply_attr(req, &*attr, context(req).attr_timeout);
}

// A missing name is cached by the kernel too (a negative entry), as every change to the
// folder passes through this mount.
void op_lookup(fuse_req_t req, fuse_ino_t parent, const char* name) {
  guarded(req, [&] {
    if (is_view_name(req, parent, name)) return reply_view_entry(req, view_of(req).lookup_root());
    if (in_view(req, parent)) return reply_view_entry(req, view_of(req).lookup(parent, name));
    auto reply = vfs_of(req).lookup(parent, name);
    if (!reply && reply.error().code == Errc::not_found) {
      fuse_entry_param e{};
      e.entry_timeout = context(req).attr_timeout;
      return (void)fuse_reply_entry(req, &e);
    }
    reply_entry(req, reply);
  });
}

void forget_one(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup) {
  if (in_view(req, ino)) return view_of(req).forget(ino, nlookup);
  vfs_of(req).forget(ino, nlookup);
}

void op_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup) {
  forget_one(req, ino, nlookup);
  fuse_reply_none(req);
}

void op_forget_multi(fuse_req_t req, size_t count, fuse_forget_data* forgets) {
  for (size_t i = 0; i < count; ++i) forget_one(req, forgets[i].ino, forgets[i].nlookup);
  fuse_reply_none(req);
}

void op_getattr(fuse_req_t req, fuse_ino_t ino, fuse_file_info*) {
  guarded(req, [&] {
    if (!in_view(req, ino)) return reply_attr(req, vfs_of(req).getattr(ino));
    auto attr = view_of(req).getattr(ino);
    if (!attr) return (void)fuse_reply_err(req, errno_of(attr.error()));
    fuse_reply_attr(req, &*attr, kViewTimeout);
  });
}

vfs::TimeChange time_change(const struct timespec& time, bool now) {
  return {now, {time.tv_sec, static_cast<std::uint32_t>(time.tv_nsec)}};
}

vfs::SetAttrRequest setattr_request(const struct stat* attr, int to_set) {
  vfs::SetAttrRequest request;
  if (to_set & FUSE_SET_ATTR_MODE) request.mode = attr->st_mode;
  if (to_set & FUSE_SET_ATTR_UID) request.uid = attr->st_uid;
  if (to_set & FUSE_SET_ATTR_GID) request.gid = attr->st_gid;
  if (to_set & FUSE_SET_ATTR_SIZE) request.size = static_cast<std::uint64_t>(attr->st_size);
  if (to_set & (FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_ATIME_NOW)) {
    request.atime = time_change(attr->st_atim, to_set & FUSE_SET_ATTR_ATIME_NOW);
  }
  if (to_set & (FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_MTIME_NOW)) {
    request.mtime = time_change(attr->st_mtim, to_set & FUSE_SET_ATTR_MTIME_NOW);
  }
  if (to_set & FUSE_SET_ATTR_CTIME) {
    request.ctime = crypto::Timestamp{attr->st_ctim.tv_sec, static_cast<std::uint32_t>(attr->st_ctim.tv_nsec)};
  }
  return request;
}

void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat* attr, int to_set, fuse_file_info*) {
  guarded(req, [&] {
    if (in_view(req, ino)) return (void)fuse_reply_err(req, errno_of(read_only()));
    reply_attr(req, vfs_of(req).setattr(ino, setattr_request(attr, to_set)));
  });
}

void op_readlink(fuse_req_t req, fuse_ino_t ino) {
  guarded(req, [&] {
    if (in_view(req, ino)) return (void)fuse_reply_err(req, errno_of(Error(Errc::invalid_argument, "not a symlink")));
    auto target = vfs_of(req).readlink(ino);
    if (!target) return (void)fuse_reply_err(req, errno_of(target.error()));
    fuse_reply_readlink(req, target->c_str());
  });
}

void op_mknod(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode, dev_t rdev) {
  guarded(req, [&] {
    if (refused_in_view(req, parent, name)) return;
    reply_entry(req, vfs_of(req).mknod(parent, name, mode, rdev, caller_of(req)));
  });
}

void op_mkdir(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode) {
  guarded(req, [&] {
    if (refused_in_view(req, parent, name)) return;
    reply_entry(req, vfs_of(req).mkdir(parent, name, mode, caller_of(req)));
  });
}

void op_unlink(fuse_req_t req, fuse_ino_t parent, const char* name) {
  guarded(req, [&] {
    if (refused_in_view(req, parent, name)) return;
    reply_status(req, vfs_of(req).unlink(parent, name));
  });
}

void op_rmdir(fuse_req_t req, fuse_ino_t parent, const char* name) {
  guarded(req, [&] {
    if (refused_in_view(req, parent, name)) return;
    reply_status(req, vfs_of(req).rmdir(parent, name));
  });
}

void op_symlink(fuse_req_t req, const char* target, fuse_ino_t parent, const char* name) {
  guarded(req, [&] {
    if (refused_in_view(req, parent, name)) return;
    reply_entry(req, vfs_of(req).symlink(target, parent, name, caller_of(req)));
  });
}

void op_rename(fuse_req_t req, fuse_ino_t parent, const char* name, fuse_ino_t new_parent, const char* new_name,
               unsigned int flags) {
  guarded(req, [&] {
    if (refused_in_view(req, parent, name) || refused_in_view(req, new_parent, new_name)) return;
    if (flags & ~static_cast<unsigned>(RENAME_NOREPLACE | RENAME_EXCHANGE)) return (void)fuse_reply_err(req, EINVAL);
    auto mode = (flags & RENAME_EXCHANGE)    ? vfs::RenameMode::exchange
                : (flags & RENAME_NOREPLACE) ? vfs::RenameMode::noreplace
                                             : vfs::RenameMode::replace;
    reply_status(req, vfs_of(req).rename(parent, name, new_parent, new_name, mode));
  });
}

void op_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t new_parent, const char* new_name) {
  guarded(req, [&] {
    if (in_view(req, ino)) return (void)fuse_reply_err(req, errno_of(read_only()));
    if (refused_in_view(req, new_parent, new_name)) return;
    reply_entry(req, vfs_of(req).link(ino, new_parent, new_name));
  });
}

void op_open(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  guarded(req, [&] {
    if (in_view(req, ino)) {
      auto fh = view_of(req).open(ino, fi->flags);
      if (!fh) return (void)fuse_reply_err(req, errno_of(fh.error()));
      fi->fh = *fh;
      return (void)fuse_reply_open(req, fi);
    }
    auto opened = vfs_of(req).open(ino, fi->flags);
    if (!opened) return (void)fuse_reply_err(req, errno_of(opened.error()));
    fi->fh = opened->fh;
    fi->keep_cache = opened->keep_cache;
    fuse_reply_open(req, fi);
  });
}

void op_create(fuse_req_t req, fuse_ino_t parent, const char* name, mode_t mode, fuse_file_info* fi) {
  guarded(req, [&] {
    if (refused_in_view(req, parent, name)) return;
    auto created = vfs_of(req).create(parent, name, mode, fi->flags, caller_of(req));
    if (!created) return (void)fuse_reply_err(req, errno_of(created.error()));
    fi->fh = created->open.fh;
    auto e = entry_param(req, created->entry);
    fuse_reply_create(req, &e, fi);
  });
}

void op_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info* fi) {
  guarded(req, [&] {
    std::unique_ptr<std::uint8_t[]> buffer(new std::uint8_t[size]);  // filled by read, not zeroed first
    std::span<std::uint8_t> out{buffer.get(), size};
    auto n = in_view(req, ino) ? view_of(req).read(fi->fh, static_cast<std::uint64_t>(offset), out)
                          : vfs_of(req).read(fi->fh, static_cast<std::uint64_t>(offset), out);
    if (!n) return (void)fuse_reply_err(req, errno_of(n.error()));
    fuse_reply_buf(req, reinterpret_cast<const char*>(buffer.get()), *n);
  });
}

void op_write(fuse_req_t req, fuse_ino_t ino, const char* data, size_t size, off_t offset, fuse_file_info* fi) {
  guarded(req, [&] {
    if (in_view(req, ino)) return (void)fuse_reply_err(req, errno_of(read_only()));
    ByteView bytes(reinterpret_cast<const std::uint8_t*>(data), size);
    auto n = vfs_of(req).write(fi->fh, static_cast<std::uint64_t>(offset), bytes, caller_of(req));
    if (!n) return (void)fuse_reply_err(req, errno_of(n.error()));
    fuse_reply_write(req, *n);
  });
}

void op_flush(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  guarded(req, [&] { reply_status(req, in_view(req, ino) ? Status{} : vfs_of(req).flush(fi->fh)); });
}

void op_release(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  guarded(req, [&] {
    if (!in_view(req, ino)) return reply_status(req, vfs_of(req).release(fi->fh));
    view_of(req).release(fi->fh);
    fuse_reply_err(req, 0);
  });
}

void op_fsync(fuse_req_t req, fuse_ino_t ino, int, fuse_file_info*) {
  guarded(req, [&] { reply_status(req, in_view(req, ino) ? Status{} : vfs_of(req).fsync(ino)); });
}

void op_lseek(fuse_req_t req, fuse_ino_t ino, off_t offset, int whence, fuse_file_info* fi) {
  guarded(req, [&] {
    if (in_view(req, ino)) return (void)fuse_reply_err(req, errno_of(Error(Errc::unsupported, "no SEEK_DATA in .coffer")));
    auto found = vfs_of(req).lseek(fi->fh, offset, whence);
    if (!found) return (void)fuse_reply_err(req, errno_of(found.error()));
    fuse_reply_lseek(req, static_cast<off_t>(*found));
  });
}

void op_opendir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  guarded(req, [&] {
    auto fh = in_view(req, ino) ? view_of(req).opendir(ino) : vfs_of(req).opendir(ino);
    if (!fh) return (void)fuse_reply_err(req, errno_of(fh.error()));
    fi->fh = *fh;
    fuse_reply_open(req, fi);
  });
}

void readdir_common(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info* fi, bool plus) {
  std::vector<char> buffer(size);
  size_t used = 0;
  auto add = [&](const vfs::DirEntryReply& entry) {
    size_t room = size - used;
    size_t needed = 0;
    if (plus) {
      fuse_entry_param e{};
      if (entry.entry) {
        e = entry_param(req, *entry.entry);
      } else {
        e.attr.st_mode = entry.mode;
        e.attr.st_ino = entry.ino;
      }
      needed = fuse_add_direntry_plus(req, buffer.data() + used, room, entry.name.c_str(), &e,
                                      static_cast<off_t>(entry.next_offset));
    } else {
      struct stat st {};
      st.st_ino = entry.ino;
      st.st_mode = entry.mode;
      needed = fuse_add_direntry(req, buffer.data() + used, room, entry.name.c_str(), &st,
                                 static_cast<off_t>(entry.next_offset));
    }
    if (needed > room) return false;
    used += needed;
    return true;
  };
  Status status = in_view(req, ino) ? view_of(req).readdir(fi->fh, static_cast<std::uint64_t>(offset), add)
                               : vfs_of(req).readdir(fi->fh, static_cast<std::uint64_t>(offset), plus, add);
  if (!status && used == 0) return (void)fuse_reply_err(req, errno_of(status.error()));
  fuse_reply_buf(req, buffer.data(), used);
}

void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info* fi) {
  guarded(req, [&] { readdir_common(req, ino, size, offset, fi, false); });
}

void op_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t offset, fuse_file_info* fi) {
  guarded(req, [&] { readdir_common(req, ino, size, offset, fi, true); });
}

void op_releasedir(fuse_req_t req, fuse_ino_t ino, fuse_file_info* fi) {
  if (in_view(req, ino)) view_of(req).releasedir(fi->fh);
  else vfs_of(req).releasedir(fi->fh);
  fuse_reply_err(req, 0);
}

void op_fsyncdir(fuse_req_t req, fuse_ino_t ino, int, fuse_file_info*) {
  guarded(req, [&] { reply_status(req, in_view(req, ino) ? Status{} : vfs_of(req).fsync(ino)); });
}

void op_statfs(fuse_req_t req, fuse_ino_t) {
  guarded(req, [&] {
    auto st = vfs_of(req).statfs();
    if (!st) return (void)fuse_reply_err(req, errno_of(st.error()));
    fuse_reply_statfs(req, &*st);
  });
}

void op_setxattr(fuse_req_t req, fuse_ino_t ino, const char* name, const char* value, size_t size, int flags) {
  guarded(req, [&] {
    auto mode = (flags & XATTR_CREATE)    ? vfs::XattrMode::create
                : (flags & XATTR_REPLACE) ? vfs::XattrMode::replace
                                          : vfs::XattrMode::any;
    ByteView bytes(reinterpret_cast<const std::uint8_t*>(value), size);
    if (in_view(req, ino)) return reply_status(req, read_only());
    reply_status(req, vfs_of(req).setxattr(ino, name, bytes, mode));
  });
}

// Size 0 asks how big the answer is; a smaller buffer than the answer is ERANGE.
void reply_sized(fuse_req_t req, size_t size, const char* data, size_t length) {
  if (size == 0) return (void)fuse_reply_xattr(req, length);
  if (size < length) return (void)fuse_reply_err(req, ERANGE);
  fuse_reply_buf(req, data, length);
}

void op_getxattr(fuse_req_t req, fuse_ino_t ino, const char* name, size_t size) {
  guarded(req, [&] {
    if (in_view(req, ino)) return (void)fuse_reply_err(req, errno_of(Error(Errc::no_attribute, "no extended attributes in .coffer")));
    auto value = vfs_of(req).getxattr(ino, name);
    if (!value) return (void)fuse_reply_err(req, errno_of(value.error()));
    reply_sized(req, size, reinterpret_cast<const char*>(value->data()), value->size());
  });
}

void op_listxattr(fuse_req_t req, fuse_ino_t ino, size_t size) {
  guarded(req, [&] {
    if (in_view(req, ino)) return reply_sized(req, size, "", 0);
    auto names = vfs_of(req).listxattr(ino);
    if (!names) return (void)fuse_reply_err(req, errno_of(names.error()));
    std::string list;
    for (const auto& name : *names) list.append(name).push_back('\0');
    reply_sized(req, size, list.data(), list.size());
  });
}

void op_removexattr(fuse_req_t req, fuse_ino_t ino, const char* name) {
  guarded(req, [&] {
    if (in_view(req, ino)) return reply_status(req, read_only());
    reply_status(req, vfs_of(req).removexattr(ino, name));
  });
}

void op_init(void*, fuse_conn_info* conn) {
  conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
  conn->want &= ~static_cast<unsigned>(FUSE_CAP_POSIX_LOCKS | FUSE_CAP_FLOCK_LOCKS);
  conn->max_write = 1u << 20;
  conn->max_readahead = kMaxReadahead;
}

fuse_lowlevel_ops make_operations() {
  fuse_lowlevel_ops ops{};
  ops.init = op_init;
  ops.lookup = op_lookup;
  ops.forget = op_forget;
  ops.forget_multi = op_forget_multi;
  ops.getattr = op_getattr;
  ops.setattr = op_setattr;
  ops.readlink = op_readlink;
  ops.mknod = op_mknod;
  ops.mkdir = op_mkdir;
  ops.unlink = op_unlink;
  ops.rmdir = op_rmdir;
  ops.symlink = op_symlink;
  ops.rename = op_rename;
  ops.link = op_link;
  ops.open = op_open;
  ops.create = op_create;
  ops.read = op_read;
  ops.write = op_write;
  ops.flush = op_flush;
  ops.release = op_release;
  ops.fsync = op_fsync;
  ops.lseek = op_lseek;
  ops.opendir = op_opendir;
  ops.readdir = op_readdir;
  ops.readdirplus = op_readdirplus;
  ops.releasedir = op_releasedir;
  ops.fsyncdir = op_fsyncdir;
  ops.statfs = op_statfs;
  ops.setxattr = op_setxattr;
  ops.getxattr = op_getxattr;
  ops.listxattr = op_listxattr;
  ops.removexattr = op_removexattr;
  return ops;
}

}  // namespace

const fuse_lowlevel_ops& operations() {
  static const fuse_lowlevel_ops ops = make_operations();
  return ops;
}

}  // namespace coffer::fuse
