// bench_server_load: one HTTP load tool for cofferd and its peer (nginx), so both are measured
// the same way. Prints one JSON object per run. See bench/server/run_bench.py.
#include <curl/curl.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>

#include "config/units.hpp"
#include "http_load.hpp"
#include "payloads.hpp"

namespace {

using coffer::bench::LoadRequest;

struct Options {
  std::string mode;
  std::string url;
  std::vector<std::string> parents;
  std::string size_text = "1M";
  std::size_t count = 64;
  std::size_t connections = 4;
  std::size_t per_request = 500;
  std::uint64_t first_index = 1000000;
  std::vector<std::string> headers;
};

// Blob i lives at URL/sha256(bytes of blob i), for PUT and GET alike.
std::vector<LoadRequest> blob_requests(const Options& options, std::size_t size, std::vector<std::string>& bodies) {
  std::vector<LoadRequest> requests;
  for (std::size_t i = 0; i < options.count; ++i) {
    bodies[i] = coffer::bench::blob_bytes(i, size);
    const std::string url = options.url + "/" + coffer::bench::sha256_hex(bodies[i]);
    const bool put = options.mode == "put";
    requests.push_back(LoadRequest{put ? "PUT" : "GET", url, put ? &bodies[i] : nullptr, put ? 0 : size});
  }
  return requests;
}

std::vector<LoadRequest> build(const Options& options, std::size_t size, std::vector<std::string>& bodies) {
  if (options.mode == "put" || options.mode == "get") {
    bodies.resize(options.count);
    return blob_requests(options, size, bodies);
  }
  std::vector<LoadRequest> requests;
  if (options.mode == "small") {
    for (std::size_t i = 0; i < options.count; ++i) requests.push_back(LoadRequest{"GET", options.url});
    return requests;
  }
  bodies = coffer::bench::batch_bodies(options.parents, options.count, size, options.per_request, options.first_index);
  for (const auto& body : bodies) requests.push_back(LoadRequest{"POST", options.url, &body});
  return requests;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("bench_server_load: timed HTTP load against cofferd or a peer server", "bench_server_load");
  Options options;
  app.add_option("mode", options.mode, "put | get (blobs), small (one URL again and again), batch (POST /v1/batch)")
      ->required()
      ->check(CLI::IsMember({"put", "get", "small", "batch"}));
  app.add_option("--url", options.url, "blob URL prefix, the URL for small, or the batch URL")->required();
  app.add_option("--count", options.count, "blobs, requests (small) or files (batch)");
  app.add_option("--size", options.size_text, "bytes per blob or small file, e.g. 1M or 10K");
  app.add_option("--connections", options.connections, "parallel keep-alive connections")->check(CLI::Range(1, 256));
  app.add_option("--parents", options.parents, "batch: the folders the files go into, one per request, each at revision 1")
      ->delimiter(',');
  app.add_option("--per-request", options.per_request, "batch: files per request");
  app.add_option("--first-index", options.first_index, "batch: payload number of the first file (new bytes per run)");
  app.add_option("--header", options.headers, "extra request header, e.g. \"Authorization: Bearer TOKEN\"");
  CLI11_PARSE(app, argc, argv);
  auto size = coffer::config::parse_size(options.size_text);
  if (!size) {
    std::cerr << "bench_server_load: --size: " << size.error().message << "\n";
    return 2;
  }
  const std::size_t batch_requests = (options.count + options.per_request - 1) / std::max<std::size_t>(options.per_request, 1);
  if (options.mode == "batch" && (options.per_request == 0 || options.parents.size() < batch_requests)) {
    std::cerr << "bench_server_load: batch: --per-request must be positive and --parents must name one folder per "
                 "request ("
              << batch_requests << ")\n";
    return 2;
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  std::vector<std::string> bodies;
  const auto requests = build(options, *size, bodies);
  const auto result = coffer::bench::run_load(requests, options.connections, options.headers);
  curl_global_cleanup();
  const double seconds = result.elapsed.count();
  std::cout << nlohmann::json{{"mode", options.mode},
                              {"seconds", seconds},
                              {"requests", result.requests},
                              {"bytes", result.bytes},
                              {"mib_per_s", static_cast<double>(result.bytes) / (1 << 20) / seconds},
                              {"requests_per_s", static_cast<double>(result.requests) / seconds},
                              {"failures", result.failures},
                              {"first_failure", result.first_failure}}
                   .dump()
            << "\n";
  return result.failures == 0 ? 0 : 1;
}
