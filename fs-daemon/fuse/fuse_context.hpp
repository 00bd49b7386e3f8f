#pragma once

#include "history/coffer_view.hpp"
#include "vfs/vfs.hpp"

namespace coffer::fuse {

// What every callback reaches through fuse_req_userdata(). Apart from fuse_ops.hpp so that
// fuse_mount.hpp, which the daemon includes, needs no FUSE header (libfuse is private to this
// layer: docs/architecture.md, "Layers").
struct FuseContext {
  vfs::Vfs* vfs = nullptr;  // set before the session loop starts
  history::CofferView* view = nullptr;  // `.coffer` at the root, if any; inode numbers of its own (CofferView::owns)
  double attr_timeout = 60;  // seconds the kernel may keep attributes and entries (also negative ones)
};

}  // namespace coffer::fuse
