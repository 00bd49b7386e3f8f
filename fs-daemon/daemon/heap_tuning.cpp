#include "daemon/heap_tuning.hpp"

#include <malloc.h>

namespace coffer::daemon {

void keep_freed_chunk_buffers() {
  // The largest mmap threshold glibc accepts on 64-bit; chunks (8 MiB at most) stay under it.
  constexpr int kMmapThreshold = 32 << 20;
  // Up to this much freed memory stays at the top of a heap for reuse before it is returned.
  constexpr int kTrimThreshold = 256 << 20;
  ::mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  ::mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
}

}  // namespace coffer::daemon
