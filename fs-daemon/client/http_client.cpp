#include "client/http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <condition_variable>

#include "client/tls_pin.hpp"

namespace coffer::client {

struct HttpClient::Shared {
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> locks;
  TlsPin pin;

  Shared(const HttpOptions& options) : pin(options.pinned_fingerprint, options.trust_on_first_use) {}
};

namespace {

constexpr long kReceiveBuffer = 512l << 10;

void lock_share(CURL*, curl_lock_data data, curl_lock_access, void* user) {
  static_cast<HttpClient::Shared*>(user)->locks[data].lock();
}

void unlock_share(CURL*, curl_lock_data data, void* user) {
  static_cast<HttpClient::Shared*>(user)->locks[data].unlock();
}

// curl calls this at least once a second, even while no byte moves; nonzero aborts.
int check_stop(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::stop_token*>(user)->stop_requested() ? 1 : 0;
}

// Sleeps for `pause` unless a stop is requested first.
void pause_unless_stopped(std::chrono::milliseconds pause, const std::stop_token& stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  wake.wait_for(lock, stop, pause, [] { return false; });
}

size_t append_body(char* data, size_t size, size_t count, void* user) {
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(data);
  auto* body = static_cast<Bytes*>(user);
  body->insert(body->end(), bytes, bytes + size * count);
  return size * count;
}

// The number after a header's name when `line` is that header ("Retry-After: 3").
std::optional<long> header_number(std::string_view line, std::string_view name) {
  if (line.size() <= name.size()) return std::nullopt;
  std::string lower(line.substr(0, name.size()));
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower != name) return std::nullopt;
  auto value = line.substr(name.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  long number = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (ec != std::errc()) return std::nullopt;
  return number;
}

// Retry-After (seconds form), and Content-Length to size the body once.
size_t read_header(char* data, size_t size, size_t count, void* user) {
  constexpr long kMaxReserve = 64l << 20;
  auto* response = static_cast<HttpResponse*>(user);
  std::string_view line(data, size * count);
  if (auto seconds = header_number(line, "retry-after:")) response->retry_after_seconds = *seconds;
  if (auto length = header_number(line, "content-length:"); length && *length > 0 && *length <= kMaxReserve) {
    response->body.reserve(static_cast<std::size_t>(*length));
  }
  return size * count;
}

CURLcode install_pin(CURL*, void* ssl_ctx, void* user) {
  static_cast<TlsPin*>(user)->install(ssl_ctx);
  return CURLE_OK;
}

bool retryable_status(long status) { return status == 429 || status >= 500; }

}  // namespace

struct HttpClient::Attempt {
  CURL* curl;
  curl_slist* headers = nullptr;
  ~Attempt() { curl_slist_free_all(headers); }
};

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)), shared_(std::make_unique<Shared>(options_)) {
  static std::once_flag global_init;
  std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  shared_->share = curl_share_init();
  curl_share_setopt(shared_->share, CURLSHOPT_LOCKFUNC, lock_share);
  curl_share_setopt(shared_->share, CURLSHOPT_UNLOCKFUNC, unlock_share);
  curl_share_setopt(shared_->share, CURLSHOPT_USERDATA, shared_.get());
  curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl_share_setopt(shared_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
}

HttpClient::~HttpClient() {
  for (void* handle : idle_handles_) curl_easy_cleanup(static_cast<CURL*>(handle));
  curl_share_cleanup(shared_->share);
}

void HttpClient::set_bearer_token(std::string token) {
  std::lock_guard lock(mutex_);
  token_ = std::move(token);
}

std::string HttpClient::observed_fingerprint() const { return shared_->pin.observed(); }

void* HttpClient::acquire_handle() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_handles_.empty()) {
      void* handle = idle_handles_.back();
      idle_handles_.pop_back();
      return handle;
    }
  }
  return curl_easy_init();
}

void HttpClient::release_handle(void* handle) {
  std::lock_guard lock(mutex_);
  idle_handles_.push_back(handle);
}

Result<HttpResponse> HttpClient::send(const HttpRequest& request) {
  using Clock = std::chrono::steady_clock;
  const bool bounded = request.answer_within.count() > 0;
  const auto deadline = Clock::now() + request.answer_within;
  // While the server is away a foreground request is tried once, so that each operation that
  // needs it fails after one attempt (at once when refused), not after as many as fit the bound.
  const bool once = bounded && options_.connectivity && !options_.connectivity->online();
  auto backoff = options_.retry.initial_backoff;
  for (int attempt = 1;; ++attempt) {
    std::optional<std::chrono::milliseconds> answer_limit;
    if (bounded) answer_limit = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    bool sent_something = false;
    auto response = send_once(request, answer_limit, sent_something);
    note_outcome(request, response);
    bool last = attempt >= options_.retry.max_attempts || once;
    if (response.ok()) {
      if (last || !request.idempotent || !retryable_status(response->status)) return response;
      if (response->retry_after_seconds) backoff = std::chrono::seconds(std::min(*response->retry_after_seconds, 30L));
    } else if (last || response.error().code != Errc::unavailable || (!request.idempotent && sent_something)) {
      return response;
    }
    if (request.stop.stop_requested() || (bounded && Clock::now() + backoff >= deadline)) return response;
    pause_unless_stopped(backoff, request.stop);
    backoff = std::min(backoff * 2, options_.retry.max_backoff);
  }
}

// A stopped request (an unmount) says nothing about the server, nor does a pin mismatch.
void HttpClient::note_outcome(const HttpRequest& request, const Result<HttpResponse>& outcome) {
  if (!options_.connectivity) return;
  if (outcome.ok()) {
    options_.connectivity->answered();
  } else if (outcome.error().code == Errc::unavailable && !request.stop.stop_requested()) {
    options_.connectivity->unanswered(outcome.error().message);
  }
}

Result<HttpResponse> HttpClient::send_once(const HttpRequest& request,
                                           std::optional<std::chrono::milliseconds> answer_limit, bool& sent_something) {
  Attempt attempt{static_cast<CURL*>(acquire_handle())};
  CURL* curl = attempt.curl;
  curl_easy_reset(curl);
  std::string url = options_.base_url + request.target;
  HttpResponse response;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_SHARE, shared_->share);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  auto connect_limit = options_.connect_timeout;
  auto stall_limit = std::chrono::duration_cast<std::chrono::milliseconds>(options_.stall_timeout);
  if (answer_limit) {
    connect_limit = std::clamp(*answer_limit, std::chrono::milliseconds(1), connect_limit);
    stall_limit = std::clamp(*answer_limit, std::chrono::milliseconds(1), stall_limit);
  }
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(connect_limit.count()));
  // A server that accepted the connection and says nothing (stopped, hung) is caught here: less
  // than a byte a second for the whole limit (curl counts it in whole seconds, rounded up).
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, static_cast<long>((stall_limit.count() + 999) / 1000));
  if (request.timeout.count() > 0) curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(request.timeout.count()));
  if (request.stop.stop_possible()) {
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, check_stop);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, const_cast<void*>(static_cast<const void*>(&request.stop)));
  }
  // Chunks are 1 MiB: a larger receive buffer takes one in a few reads instead of 64.
  curl_easy_setopt(curl, CURLOPT_BUFFERSIZE, kReceiveBuffer);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, read_header);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response);
  // The pin replaces CA verification; session resumption would skip the check, so it is off.
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_SESSIONID_CACHE, 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_CTX_FUNCTION, install_pin);
  curl_easy_setopt(curl, CURLOPT_SSL_CTX_DATA, &shared_->pin);

  std::string authorization;
  {
    std::lock_guard lock(mutex_);
    if (!token_.empty()) authorization = "Authorization: Bearer " + token_;
  }
  if (!authorization.empty()) attempt.headers = curl_slist_append(attempt.headers, authorization.c_str());
  attempt.headers = curl_slist_append(attempt.headers, "Expect:");
  std::string content_type = "Content-Type: " + request.content_type;
  if (!request.content_type.empty()) attempt.headers = curl_slist_append(attempt.headers, content_type.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, attempt.headers);

  if (request.method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (request.method != "GET") {
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  }

  CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  sent_something = code != CURLE_COULDNT_CONNECT && code != CURLE_COULDNT_RESOLVE_HOST;
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  release_handle(curl);
  if (code == CURLE_OK) return response;
  if (shared_->pin.mismatched()) {
    return make_error(Errc::permission_denied,
                      "the server's TLS certificate (SHA-256 " + shared_->pin.observed() +
                          ") is not the one pinned at login (" + options_.pinned_fingerprint +
                          "); refusing to connect. If the server's certificate was replaced on purpose, confirm the "
                          "new fingerprint with its owner and log in again with --accept-fingerprint");
  }
  std::string what = request.method + " " + options_.base_url + request.target.substr(0, request.target.find('?'));
  if (answer_limit && code == CURLE_OPERATION_TIMEDOUT) {
    return make_error(Errc::unavailable, what + ": the server did not answer within " +
                                             std::to_string(request.answer_within.count()) + " s");
  }
  return make_error(Errc::unavailable, what + ": " + curl_easy_strerror(code));
}

}  // namespace coffer::client
