#pragma once

#define FUSE_USE_VERSION 34
#include <fuse3/fuse_lowlevel.h>

#include "fuse/fuse_context.hpp"

namespace coffer::fuse {

// The most the kernel may read ahead of a sequential reader, asked for at init (and raised on
// the mount's backing device, see kernel_readahead.hpp).
inline constexpr unsigned kMaxReadahead = 1u << 20;

// The low-level operation table: each callback is a thin adaptor making one fuse_reply_* call
// with what the Vfs returns, or the `.coffer` view for its inode numbers and for the name
// `.coffer` in the root (looked up there, never created, removed or renamed: Errc::read_only). Byte-range and flock locks are left to the kernel, which keeps
// them between the processes of this machine.
const fuse_lowlevel_ops& operations();

}  // namespace coffer::fuse
