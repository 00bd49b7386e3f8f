#pragma once

#include <cstdint>

namespace coffer::server::http {

// Gives the heap's free pages back to the kernel (malloc_trim) when cofferd's resident memory
// is above `resident_limit`. Called after a large body is freed: a burst of large bodies then
// stays near what the body budget lets be in use, while a steady stream of bodies below the
// limit keeps its pages instead of returning and faulting them in again for every request
// (trimming after every large body cost a fifth of cofferd's CPU in a stream of batches;
// docs/performance.md). Returns whether it trimmed.
bool trim_heap_above(std::uint64_t resident_limit);

}  // namespace coffer::server::http
