#include "fuse/fuse_mount.hpp"

#include <csignal>
#include <filesystem>

#include "fuse/fuse_ops.hpp"
#include "fuse/kernel_readahead.hpp"

namespace coffer::fuse {

Result<std::unique_ptr<FuseMount>> FuseMount::mount(const MountOptions& options) {
  std::unique_ptr<FuseMount> mount(new FuseMount(options));
  mount->context_.attr_timeout = options.attr_timeout;
  std::string mount_options = "default_permissions,fsname=coffer,subtype=coffer";
  for (const auto& option : options.fuse_options) mount_options += "," + option;
  std::vector<std::string> words = {"coffer", "-o", mount_options};
  std::vector<char*> argv;
  for (auto& word : words) argv.push_back(word.data());
  fuse_args args = FUSE_ARGS_INIT(static_cast<int>(argv.size()), argv.data());
  mount->session_ = fuse_session_new(&args, &operations(), sizeof(fuse_lowlevel_ops), &mount->context_);
  fuse_opt_free_args(&args);
  if (mount->session_ == nullptr) {
    return make_error(Errc::invalid_argument, "FUSE refused the mount options '" + mount_options + "'");
  }
  if (fuse_set_signal_handlers(mount->session_) == 0) mount->signals_ = true;
  std::error_code ec;
  const std::string resolved = std::filesystem::canonical(options.mountpoint, ec).string();
  if (fuse_session_mount(mount->session_, options.mountpoint.c_str()) != 0) {
    return make_error(Errc::io, "cannot mount on " + options.mountpoint + " (is FUSE available, and the folder empty?)");
  }
  mount->mounted_ = true;
  if (!resolved.empty()) raise_kernel_readahead(resolved, kMaxReadahead >> 10);
  return mount;
}

FuseMount::~FuseMount() {
  if (session_ == nullptr) return;
  if (signals_) fuse_remove_signal_handlers(session_);
  if (mounted_) fuse_session_unmount(session_);
  fuse_session_destroy(session_);
}

void FuseMount::daemonize(bool foreground) { fuse_daemonize(foreground ? 1 : 0); }

Status FuseMount::run(vfs::Vfs& vfs, history::CofferView* view) {
  context_.vfs = &vfs;
  context_.view = view;
  fuse_loop_config config{};
  config.clone_fd = 0;
  config.max_idle_threads = options_.max_idle_threads;
  int rc = fuse_session_loop_mt(session_, &config);
  if (rc != 0 && rc != SIGTERM && rc != SIGINT && rc != SIGHUP) {
    return make_error(Errc::io, "the FUSE session ended with an error (" + std::to_string(rc) + ")");
  }
  return {};
}

void FuseMount::invalidate_inode(std::uint64_t ino) { fuse_lowlevel_notify_inval_inode(session_, ino, 0, 0); }

void FuseMount::invalidate_entry(std::uint64_t parent_ino, const std::string& name) {
  fuse_lowlevel_notify_inval_entry(session_, parent_ino, name.c_str(), name.size());
}

// The kernel refuses a deletion it cannot make (a folder with cached entries, a mount point,
// a name now cached for another inode): the name is then only invalidated.
void FuseMount::delete_entry(std::uint64_t parent_ino, std::uint64_t child_ino, const std::string& name) {
  if (fuse_lowlevel_notify_delete(session_, parent_ino, child_ino, name.c_str(), name.size()) != 0) {
    invalidate_entry(parent_ino, name);
  }
}

}  // namespace coffer::fuse
