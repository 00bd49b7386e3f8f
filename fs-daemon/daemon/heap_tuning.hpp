#pragma once

namespace coffer::daemon {

// Chunk buffers are large (1 MiB by default, up to 8 MiB) and short-lived: plaintext gathered
// for a chunk, its token on the way to the journal, a blob fetched for a read. With glibc's
// defaults freed memory of that size soon goes back to the kernel, and the next buffer
// page-faults fresh zeroed memory in. Keeping it in the heap took the daemon's CPU per cold read
// of 512 MiB from 1.38 to 1.30 s (docs/performance.md).
void keep_freed_chunk_buffers();

}  // namespace coffer::daemon
