#include <doctest/doctest.h>

#include <stdexcept>

#include "sync/worker_pool.hpp"

using namespace coffer;

TEST_CASE("a task that throws fails run_all instead of ending the process, and the workers go on") {
  sync::WorkerPool pool(1);
  pool.post([] { throw std::runtime_error("posted and thrown"); });
  std::vector<std::function<Status()>> tasks;
  tasks.emplace_back([]() -> Status { throw std::runtime_error("a task's bug"); });
  tasks.emplace_back([]() -> Status { return {}; });
  auto status = pool.run_all(std::move(tasks));
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().code == Errc::internal);
  CHECK(status.error().message.find("a task's bug") != std::string::npos);
  std::vector<std::function<Status()>> more;
  more.emplace_back([]() -> Status { return {}; });
  CHECK(pool.run_all(std::move(more)).ok());  // the one worker survived both throws
}
