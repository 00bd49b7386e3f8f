#pragma once

namespace coffer::daemon {

// Chunk buffers are several MiB each and short-lived: plaintext gathered for a chunk, its token
// on the way to the journal, a blob fetched for a read. With glibc's defaults a freed buffer of
// that size goes back to the kernel, and the next one page-faults fresh zeroed memory in: 5-10 %
// of the daemon's CPU on a 512 MiB copy (docs/performance.md). Keeping freed memory in the heap
// lets the next chunk reuse it.
void keep_freed_chunk_buffers();

}  // namespace coffer::daemon
