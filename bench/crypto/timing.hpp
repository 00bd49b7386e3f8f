#pragma once

#include <chrono>
#include <cstddef>
#include <functional>

namespace coffer::bench {

inline constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

// Runs `operation` (one call processes one 1 MiB chunk) on `threads` threads, each with its
// own state made by `make_operation`, for about `duration`, and returns the total MiB/s.
using Operation = std::function<void()>;
using OperationFactory = std::function<Operation()>;
double measure_mib_per_second(const OperationFactory& make_operation, unsigned threads,
                              std::chrono::milliseconds duration);

}  // namespace coffer::bench
