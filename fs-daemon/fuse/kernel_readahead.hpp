#pragma once

#include <string>

namespace coffer::fuse {

// The kernel reads ahead of a sequential reader of a FUSE file only as far as the mount's
// backing device allows, 128 KiB by default, whatever the daemon asks for at init. Sequential
// reads of chunked, encrypted content run about a third faster with 1 MiB (docs/client.md), so
// the mount raises /sys/class/bdi/MAJOR:MINOR/read_ahead_kb when it may (as root); otherwise
// the kernel's default stays and a debug line says why.
// `mountpoint` is the absolute path without symlinks, resolved before mounting: resolving it
// afterwards would stat the mount, which waits for a session not yet served.
void raise_kernel_readahead(const std::string& mountpoint, unsigned kib);

}  // namespace coffer::fuse
