#include "timing.hpp"

#include <atomic>
#include <thread>
#include <vector>

namespace coffer::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Each thread warms up (caches, lazy OpenSSL fetches), waits for the start signal, then counts
// whole operations until the deadline.
struct Race {
  std::atomic<unsigned> ready{0};
  std::atomic<bool> go{false};
  Clock::time_point deadline{};
  std::atomic<std::uint64_t> done{0};
};

void run_worker(const OperationFactory& make_operation, Race& race) {
  Operation operation = make_operation();
  for (int i = 0; i < 3; ++i) operation();
  ++race.ready;
  while (!race.go.load(std::memory_order_acquire)) std::this_thread::yield();
  std::uint64_t count = 0;
  while (Clock::now() < race.deadline) {
    operation();
    ++count;
  }
  race.done += count;
}

}  // namespace

double measure_mib_per_second(const OperationFactory& make_operation, unsigned threads,
                              std::chrono::milliseconds duration) {
  Race race;
  std::vector<std::thread> workers;
  for (unsigned i = 0; i < threads; ++i) workers.emplace_back([&] { run_worker(make_operation, race); });
  while (race.ready.load() < threads) std::this_thread::yield();
  const Clock::time_point start = Clock::now();
  race.deadline = start + duration;
  race.go.store(true, std::memory_order_release);
  for (std::thread& worker : workers) worker.join();
  // Each worker finishes the operation in flight at the deadline; count the real elapsed time.
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(race.done.load()) * static_cast<double>(kChunkBytes) / (1024.0 * 1024.0) / seconds;
}

}  // namespace coffer::bench
