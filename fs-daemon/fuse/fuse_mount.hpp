#pragma once

#include <memory>
#include <string>
#include <vector>

#include "fuse/fuse_context.hpp"
#include "util/result.hpp"

struct fuse_session;

namespace coffer::fuse {

struct MountOptions {
  std::string mountpoint;
  std::vector<std::string> fuse_options;  // from `-o`, e.g. allow_other
  double attr_timeout = 60;
  unsigned max_idle_threads = 10;
};

// One FUSE session: mounted in mount(), served by run(), unmounted when destroyed. The kernel
// enforces permissions from the nodes' modes and owners (default_permissions, always on).
class FuseMount : public vfs::KernelNotifier {
 public:
  static Result<std::unique_ptr<FuseMount>> mount(const MountOptions& options);
  ~FuseMount() override;

  // Detaches from the terminal (fork; the parent exits once the child is ready). Must run
  // before any thread is started.
  void daemonize(bool foreground);
  // Serves requests on several threads until the folder is unmounted or a signal arrives.
  // `view`: the `.coffer` view, or none.
  Status run(vfs::Vfs& vfs, history::CofferView* view);

  void invalidate_inode(std::uint64_t ino) override;
  void invalidate_entry(std::uint64_t parent_ino, const std::string& name) override;
  void delete_entry(std::uint64_t parent_ino, std::uint64_t child_ino, const std::string& name) override;

 private:
  explicit FuseMount(const MountOptions& options) : options_(options) {}

  MountOptions options_;
  FuseContext context_;
  fuse_session* session_ = nullptr;
  bool mounted_ = false;
  bool signals_ = false;
};

}  // namespace coffer::fuse
