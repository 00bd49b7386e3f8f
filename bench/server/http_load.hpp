#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace coffer::bench {

// One HTTP request of a load run.
struct LoadRequest {
  std::string method;  // GET, PUT or POST
  std::string url;
  const std::string* body = nullptr;  // PUT/POST body, owned by the caller
  std::size_t expected_size = 0;      // GET: the body size a correct answer has (0: any)
};

struct LoadResult {
  std::chrono::duration<double> elapsed{};
  std::uint64_t requests = 0;
  std::uint64_t bytes = 0;  // body bytes sent (PUT/POST) or received (GET)
  std::uint64_t failures = 0;
  std::string first_failure;
};

// Runs `requests` over `connections` keep-alive connections (libcurl, one thread each, taking
// requests in turn) with the extra `headers`, and times the whole run.
LoadResult run_load(const std::vector<LoadRequest>& requests, std::size_t connections,
                    const std::vector<std::string>& headers);

}  // namespace coffer::bench
