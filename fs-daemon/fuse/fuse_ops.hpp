#pragma once

#define FUSE_USE_VERSION 34
#include <fuse3/fuse_lowlevel.h>

#include "history/coffer_view.hpp"
#include "vfs/vfs.hpp"

namespace coffer::fuse {

// The most the kernel may read ahead of a sequential reader, asked for at init (and raised on
// the mount's backing device, see kernel_readahead.hpp).
inline constexpr unsigned kMaxReadahead = 1u << 20;

// What every callback reaches through fuse_req_userdata().
struct FuseContext {
  vfs::Vfs* vfs = nullptr;  // set before the session loop starts
  history::CofferView* view = nullptr;  // `.coffer` at the root, if any; inode numbers of its own (CofferView::owns)
  double attr_timeout = 60;  // seconds the kernel may keep attributes and entries (also negative ones)
};

// The low-level operation table: each callback is a thin adaptor making one fuse_reply_* call
// with what the Vfs returns, or the `.coffer` view for its inode numbers and for the name
// `.coffer` in the root (looked up there, never created, removed or renamed: Errc::read_only). Byte-range and flock locks are left to the kernel, which keeps
// them between the processes of this machine.
const fuse_lowlevel_ops& operations();

}  // namespace coffer::fuse
