#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/bytes.hpp"
#include "remote/connectivity.hpp"
#include "util/result.hpp"

namespace coffer::client {

struct RetryPolicy {
  int max_attempts = 6;
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{5000};
};

struct HttpOptions {
  std::string base_url;  // scheme, host and port: "https://cloud.example:8443"
  // SHA-256 fingerprint of the server's certificate as "AB:CD:...". Empty with
  // trust_on_first_use: any certificate is accepted and its fingerprint recorded (first login).
  std::string pinned_fingerprint;
  bool trust_on_first_use = false;
  std::chrono::milliseconds connect_timeout{5000};
  // A transfer that moves no byte for this long is abandoned (and retried when idempotent).
  std::chrono::seconds stall_timeout{60};
  RetryPolicy retry;
  // Told of every attempt: answered (any status) or not (refused, reset, silent). Optional.
  std::shared_ptr<remote::Connectivity> connectivity;
};

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD, PUT, POST, DELETE
  std::string target;          // path and query: "/v1/nodes/ab12?x=1"
  std::string content_type;    // empty: no body
  std::string_view body;
  // Safe to send twice: retried after network failures, 5xx and 429. Other requests are
  // retried only when the connection failed before anything was sent.
  bool idempotent = false;
  std::chrono::seconds timeout{0};  // whole-request limit (long polls); 0: none
  // On behalf of a FUSE operation (the foreground): when the server has not answered this long
  // after send() began (connected and started answering, and never gone silent as long since),
  // the request fails with Errc::unavailable instead of running the retry policy. Retries happen
  // within it, and only while the server was last seen answering: while offline one attempt.
  // 0: the retry policy alone (background work).
  std::chrono::seconds answer_within{0};
  // A stop request abandons the transfer within about a second (curl's progress callback) and
  // any retry (Errc::unavailable): a long poll must not hold up an unmount.
  std::stop_token stop;
};

struct HttpResponse {
  long status = 0;
  Bytes body;  // bytes, not text: a blob lands here and is handed on without a copy
  std::optional<long> retry_after_seconds;
};

// An HTTP/1.1 client on libcurl: a pool of easy handles sharing one connection cache, so
// connections are reused and any number of threads can transfer in parallel. Non-2xx answers
// are returned as responses; only transport failures are errors: Errc::unavailable, or
// Errc::permission_denied when the server's certificate does not match the pinned one.
class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  void set_bearer_token(std::string token);
  Result<HttpResponse> send(const HttpRequest& request);

  // The fingerprint of the certificate the server presented last ("" over plain HTTP).
  std::string observed_fingerprint() const;
  const HttpOptions& options() const { return options_; }

  struct Shared;

 private:
  struct Attempt;
  // `answer_limit`: how long this attempt may wait for the server to answer (foreground).
  Result<HttpResponse> send_once(const HttpRequest& request, std::optional<std::chrono::milliseconds> answer_limit,
                                 bool& sent_something);
  void note_outcome(const HttpRequest& request, const Result<HttpResponse>& outcome);
  void* acquire_handle();
  void release_handle(void* handle);

  HttpOptions options_;
  std::unique_ptr<Shared> shared_;
  mutable std::mutex mutex_;  // guards idle_handles_, token_
  std::vector<void*> idle_handles_;
  std::string token_;
};

}  // namespace coffer::client
