#include "http_load.hpp"

#include <curl/curl.h>

#include <atomic>
#include <mutex>
#include <thread>

namespace coffer::bench {
namespace {

struct Shared {
  Shared(const std::vector<LoadRequest>& r, const std::vector<std::string>& h) : requests(r), headers(h) {}
  const std::vector<LoadRequest>& requests;
  const std::vector<std::string>& headers;
  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> bytes{0};
  std::atomic<std::uint64_t> failures{0};
  std::mutex failure_mutex;
  std::string first_failure;
};

std::size_t count_body(char*, std::size_t size, std::size_t count, void* received) {
  *static_cast<std::uint64_t*>(received) += size * count;
  return size * count;
}

void record_failure(Shared& shared, const std::string& what) {
  shared.failures++;
  std::lock_guard lock(shared.failure_mutex);
  if (shared.first_failure.empty()) shared.first_failure = what;
}

void perform(CURL* curl, curl_slist* headers, const LoadRequest& request, Shared& shared) {
  std::uint64_t received = 0;
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, count_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &received);
  if (request.body != nullptr) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body->size()));
  } else {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  const CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  const bool size_ok = request.expected_size == 0 || received == request.expected_size;
  if (code != CURLE_OK || status < 200 || status >= 300 || !size_ok) {
    record_failure(shared, request.method + " " + request.url + ": " + curl_easy_strerror(code) + ", status " +
                               std::to_string(status) + ", " + std::to_string(received) + " bytes");
    return;
  }
  shared.bytes += request.body != nullptr ? request.body->size() : received;
}

void worker(Shared& shared) {
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Expect:");
  // libcurl labels posted data as a form otherwise, which servers may parse as one.
  headers = curl_slist_append(headers, shared.requests.empty() || shared.requests.front().method != "POST"
                                           ? "Content-Type: application/octet-stream"
                                           : "Content-Type: application/json");
  for (const auto& header : shared.headers) headers = curl_slist_append(headers, header.c_str());
  curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
  for (std::size_t i = shared.next++; i < shared.requests.size(); i = shared.next++) {
    perform(curl, headers, shared.requests[i], shared);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
}

}  // namespace

LoadResult run_load(const std::vector<LoadRequest>& requests, std::size_t connections,
                    const std::vector<std::string>& headers) {
  Shared shared(requests, headers);
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < connections; ++i) threads.emplace_back(worker, std::ref(shared));
  for (auto& thread : threads) thread.join();
  LoadResult result;
  result.elapsed = std::chrono::steady_clock::now() - start;
  result.requests = requests.size();
  result.bytes = shared.bytes;
  result.failures = shared.failures;
  result.first_failure = shared.first_failure;
  return result;
}

}  // namespace coffer::bench
