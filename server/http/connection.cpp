#include "server/http/connection.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>


#include <optional>
#include <vector>

#include "log/logging.hpp"
#include "server/http/heap_trim.hpp"
#include "server/http/replies.hpp"
#include "server/http/security_headers.hpp"

namespace coffer::server::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using Clock = std::chrono::steady_clock;

std::uint64_t ConnectionRegistry::add(std::function<void()> close_if_idle) {
  std::lock_guard lock(mutex_);
  const std::uint64_t id = next_id_++;
  open_.emplace(id, std::move(close_if_idle));
  return id;
}

void ConnectionRegistry::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  open_.erase(id);
}

void ConnectionRegistry::close_idle() {
  std::vector<std::function<void()>> calls;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [id, call] : open_) calls.push_back(call);
  }
  for (auto& call : calls) call();
}

namespace {

constexpr std::size_t kPieceBytes = 256 * 1024;  // what a worker writes of an upload, or reads of a blob answer
// Beast sizes each read by the buffer's free room (at least 512 bytes), and a body parser
// empties the buffer after every read, so without room made first a body arrives 512 bytes per
// read (measured: 32,768 recvmsg calls for two 16 MiB uploads).
constexpr std::size_t kBodyReadRoom = 64 * 1024;
constexpr std::uint64_t kRequestLineBytes = 8 << 10;
constexpr std::chrono::seconds kLingerTime{5};  // as nginx's lingering_timeout
// After a body this large is freed, the heap is trimmed if cofferd holds more than the body
// budget resident (heap_trim.hpp says why not after every one).
constexpr std::uint64_t kTrimAfterReserving = 4 << 20;

Error parse_failure(const beast::error_code& ec) {
  if (ec == bhttp::error::header_limit) return make_error(Errc::too_large, "the request header is too large");
  if (ec == bhttp::error::body_limit) return make_error(Errc::too_large, "the body is larger than this route takes");
  return make_error(Errc::invalid_argument, "malformed request: " + ec.message());
}

// The network went away or a deadline passed: nothing to answer.
bool connection_lost(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
         ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
         ec == asio::error::bad_descriptor || ec.category() == asio::error::get_ssl_category() ||
         ec == asio::ssl::error::stream_truncated;
}

Status check_header_fields(const bhttp::fields& fields, const Limits& limits) {
  std::uint64_t count = 0;
  std::uint64_t bytes = 0;
  for (const auto& field : fields) {
    ++count;
    bytes += field.name_string().size() + field.value().size();
  }
  if (count > static_cast<std::uint64_t>(limits.max_header_count)) return make_error(Errc::too_large, "too many header fields");
  if (bytes > limits.max_header_bytes) return make_error(Errc::too_large, "the header fields are too large");
  return {};
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Request make_request(const bhttp::request<bhttp::empty_body>& message, const std::string& remote) {
  Request req;
  req.method = std::string(message.method_string());
  const std::string_view target = message.target();
  const auto question = target.find('?');
  req.path = percent_decode(target.substr(0, question));
  if (question != std::string_view::npos) req.params = parse_query(target.substr(question + 1));
  for (const auto& field : message) req.headers.emplace_back(lower(field.name_string()), std::string(field.value()));
  req.remote_addr = remote;
  return req;
}

std::string bearer_token(const Request& req) {
  static const std::string kPrefix = "Bearer ";
  const std::string header = req.get_header_value("Authorization");
  return header.rfind(kPrefix, 0) == 0 ? header.substr(kPrefix.size()) : std::string();
}

template <class Message>
void copy_answer_fields(const Response& res, Message& message) {
  for (const auto& [name, value] : res.headers) {
    if (lower(name) != "connection") message.set(name, value);
  }
  if (!res.content_type.empty()) message.set(bhttp::field::content_type, res.content_type);
}

template <class Stream>
class Connection : public std::enable_shared_from_this<Connection<Stream>> {
 public:
  Connection(ServerContext& context, Stream stream, std::string remote, ConnectionGate::Ticket ticket)
      : context_(context),
        stream_(std::move(stream)),
        remote_(std::move(remote)),
        ticket_(std::move(ticket)),
        budget_timer_(stream_.get_executor()) {}

  ~Connection() {
    context_.registry.remove(registry_id_);
    release_budget();
  }

  void start() {
    std::weak_ptr<Connection> weak = this->shared_from_this();
    registry_id_ = context_.registry.add([weak] {
      if (auto self = weak.lock()) {
        asio::post(self->stream_.get_executor(), [self] {
          if (self->idle_) self->close();
        });
      }
    });
    // The first request's header, and the TLS handshake before it, share one deadline.
    lowest().expires_after(context_.limits.header_timeout);
    if constexpr (kTls) {
      stream_.async_handshake(asio::ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
        if (ec) return self->close();
        self->read_header();
      });
    } else {
      read_header();
    }
  }

 private:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  beast::tcp_stream& lowest() { return beast::get_lowest_layer(stream_); }

  // Runs `work` on a worker thread, then `then` with its result on this connection's strand.
  // The work guard keeps the I/O threads running while a worker holds the request. The one
  // exception barrier of work done for a connection: a failure closes it.
  template <class Work, class Then>
  void on_worker(Work work, Then then) {
    auto tracked = asio::prefer(stream_.get_executor(), asio::execution::outstanding_work.tracked);
    asio::post(context_.workers, [self = this->shared_from_this(), guard = std::move(tracked), work = std::move(work),
                                  then = std::move(then)]() mutable {
      try {
        RequestScope::begin(self->caller_);
        auto result = work();
        RequestScope::end();
        asio::post(guard,
                   [self, result = std::move(result), then = std::move(then)]() mutable { then(std::move(result)); });
      } catch (const std::exception& e) {
        RequestScope::end();
        spdlog::error("unexpected failure in {} {}: {}", self->request_.method, self->request_.path, e.what());
        asio::post(guard, [self] { self->answer_error(make_error(Errc::internal, "unexpected failure"), true); });
      }
    });
  }

  // Between requests: a keep-alive connection waits for the next one's first byte.
  void wait_for_request() {
    reset_request();
    if (context_.stopping) return close();
    if (buffer_.size() == 0) buffer_.shrink_to_fit();  // the room made for a body goes back
    if (buffer_.size() > 0) {
      lowest().expires_after(context_.limits.header_timeout);
      return read_header();
    }
    idle_ = true;
    lowest().expires_after(context_.limits.keep_alive_timeout);
    stream_.async_read_some(buffer_.prepare(4096), [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
      if (ec) return self->close();
      self->buffer_.commit(n);
      self->lowest().expires_after(self->context_.limits.header_timeout);
      self->read_header();
    });
  }

  void reset_request() {
    route_ = nullptr;
    request_ = Request{};
    caller_ = service::Caller{};
    must_close_ = false;
    header_.reset();
    body_.reset();
    streamed_body_.reset();
    sink_.reset();
    serializer_.reset();
    streamed_answer_.reset();
    answer_.reset();
    sent_ = 0;
    body_received_ = 0;
  }

  void read_header() {
    idle_ = true;  // until the whole header is in, stop() may close it
    header_.emplace();
    header_->header_limit(static_cast<std::uint32_t>(context_.limits.max_header_bytes + kRequestLineBytes));
    header_->body_limit(std::numeric_limits<std::uint64_t>::max());  // the route's limit applies, below
    bhttp::async_read_header(stream_, buffer_, *header_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      self->idle_ = false;
      self->on_header(ec);
    });
  }

  void on_header(const beast::error_code& ec) {
    if (ec) {
      if (connection_lost(ec)) return close();
      return answer_error(parse_failure(ec), true);
    }
    const auto& message = header_->get();
    version_ = message.version();
    keep_alive_ = message.keep_alive();
    head_ = message.method() == bhttp::verb::head;
    request_ = make_request(message, remote_);
    const bool has_body = header_->chunked() || header_->content_length().value_or(0) > 0;
    must_close_ = has_body;  // until the body is read, the connection cannot take another request
    if (auto fields = check_header_fields(message, context_.limits); !fields) return answer_error(fields.error(), true);
    std::vector<std::string> params;
    route_ = context_.routes.find(request_.method, request_.path, &params);
    if (route_ == nullptr) return answer_error(make_error(Errc::not_found, "no such route"), has_body);
    request_.matches.push_back(request_.path);
    for (auto& param : params) request_.matches.push_back(std::move(param));
    limit_ = body_limit(route_->body, context_.limits);
    request_.json_cost_factor = json_cost_factor(route_->body);
    if (header_->content_length().value_or(0) > limit_) {
      return answer_error(make_error(Errc::too_large, "the body may be at most " + std::to_string(limit_) + " bytes"), true);
    }
    authorize(has_body);
  }

  void authorize(bool has_body) {
    if (route_->access == RouteAccess::open) return after_authorize(has_body);
    on_worker([this] { return context_.services.auth.authenticate(bearer_token(request_), remote_); },
              [this, has_body](Result<service::Caller> caller) {
                if (!caller) return answer_error(caller.error(), has_body);
                if (caller->link && route_->access != RouteAccess::link) {
                  return answer_error(make_error(Errc::permission_denied, "a link's token only reads the linked files"),
                                      has_body);
                }
                if (route_->access == RouteAccess::admin && !caller->admin) {
                  return answer_error(make_error(Errc::permission_denied, "this route is for administrators"), has_body);
                }
                caller_ = std::move(*caller);
                after_authorize(has_body);
              });
  }

  void after_authorize(bool has_body) {
    if (route_->streaming) return open_upload();
    if (!has_body) return run_handler();
    reserve_budget();
  }

  // curl and others wait for "100 Continue" before a large body; it is sent only once the
  // request is known to be accepted, so a refused one costs no body.
  template <class Next>
  void continue_then(Next next) {
    if (lower(request_.get_header_value("Expect")) != "100-continue") return next();
    auto interim = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, version_);
    lowest().expires_after(context_.limits.request_timeout);
    bhttp::async_write(stream_, *interim, [self = this->shared_from_this(), interim, next](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      next();
    });
  }

  // The time by which the next byte of the body must arrive for it to keep the minimum rate.
  Clock::time_point body_deadline() const {
    const auto& limits = context_.limits;
    const double allowed = static_cast<double>(body_received_ + 1) / static_cast<double>(limits.body_min_rate);
    return body_start_ + limits.request_timeout +
           std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(allowed));
  }

  // ---- JSON bodies: read whole, within the memory budget ----

  void reserve_budget() {
    // The text, and its parsed value.
    reserved_ = (1 + json_cost_factor(route_->body)) * header_->content_length().value_or(limit_);
    waiter_ = context_.budget.acquire(reserved_, [self = this->shared_from_this()] {
      asio::post(self->stream_.get_executor(), [self] { self->on_budget(); });
    });
    if (waiter_ == 0) return;
    budget_timer_.expires_after(context_.limits.max_body_wait);
    budget_timer_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec || self->waiter_ == 0 || !self->context_.budget.cancel(self->waiter_)) return;
      self->waiter_ = 0;
      self->reserved_ = 0;
      self->answer_error(make_error(Errc::unavailable, "the server is busy reading other requests; try again"), true);
    });
  }

  void on_budget() {
    if (reserved_ == 0) return;  // timed out and answered before the grant arrived
    waiter_ = 0;
    budget_timer_.cancel();
    body_.emplace(std::move(*header_));
    body_->body_limit(limit_);
    buffer_.reserve(kBodyReadRoom);
    body_start_ = Clock::now();
    continue_then([this] { read_body(); });
  }

  void read_body() {
    if (body_->is_done()) {
      must_close_ = false;
      request_.body = std::move(body_->get().body());
      body_.reset();
      return run_handler();
    }
    lowest().expires_at(body_deadline());
    bhttp::async_read_some(stream_, buffer_, *body_, [self = this->shared_from_this()](beast::error_code ec, std::size_t n) {
      if (ec) return self->body_failed(ec);
      self->body_received_ += n;
      self->read_body();
    });
  }

  void body_failed(const beast::error_code& ec) {
    if (connection_lost(ec)) {
      spdlog::debug("{} {} {}: the body stopped arriving: {}", remote_, request_.method, request_.path, ec.message());
      return close();
    }
    answer_error(parse_failure(ec), true);
  }

  void release_budget() {
    if (waiter_ != 0 && context_.budget.cancel(waiter_)) reserved_ = 0;
    if (reserved_ != 0) context_.budget.release(reserved_);
    reserved_ = 0;
    waiter_ = 0;
  }

  void run_handler() {
    on_worker(
        [this] {
          Response res;
          route_->handler(request_, res);
          std::string().swap(request_.body);
          if (reserved_ >= kTrimAfterReserving) trim_heap_above(context_.limits.max_body_memory);
          return res;
        },
        [this](Response res) {
          release_budget();
          send(std::move(res));
        });
  }

  // ---- streamed bodies (blob uploads): piece by piece into the route's sink ----

  void open_upload() {
    on_worker(
        [this] {
          Response res;
          auto sink = route_->streaming(request_, res);
          return std::make_pair(std::move(sink), std::move(res));
        },
        [this](std::pair<std::unique_ptr<BodySink>, Response> opened) {
          if (!opened.first) return send(std::move(opened.second));
          sink_ = std::move(opened.first);
          streamed_body_.emplace(std::move(*header_));
          streamed_body_->body_limit(limit_);
          buffer_.reserve(kBodyReadRoom);
          piece_.resize(kPieceBytes);
          filled_ = 0;
          body_start_ = Clock::now();
          continue_then([this] { read_upload_piece(); });
        });
  }

  // Fills the piece from the network; a worker writes it when it is full or the body ends.
  void read_upload_piece() {
    const bool done = streamed_body_->is_done();
    if (filled_ == piece_.size() || (done && filled_ > 0)) return write_upload_piece();
    if (done) {
      must_close_ = false;
      return finish_upload();
    }
    auto& body = streamed_body_->get().body();
    body.data = piece_.data() + filled_;
    body.size = piece_.size() - filled_;
    lowest().expires_at(body_deadline());
    bhttp::async_read_some(stream_, buffer_, *streamed_body_,
                           [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                             if (ec == bhttp::error::need_buffer) ec = {};
                             if (ec) return self->body_failed(ec);
                             const std::size_t room = self->piece_.size() - self->filled_;
                             const std::size_t got = room - self->streamed_body_->get().body().size;
                             self->filled_ += got;
                             self->body_received_ += got;
                             self->read_upload_piece();
                           });
  }

  void write_upload_piece() {
    on_worker([this] { return sink_->write(std::string_view(piece_.data(), filled_)); },
              [this](Status written) {
                if (!written) return answer_error(written.error(), true);
                filled_ = 0;
                read_upload_piece();
              });
  }

  void finish_upload() {
    on_worker(
        [this] {
          Response res;
          sink_->finish(res);
          sink_.reset();
          return res;
        },
        [this](Response res) { send(std::move(res)); });
  }

  // ---- answers ----

  void answer_error(const Error& error, bool close_after) {
    Response res;
    reply_error(res, error);
    if (close_after) must_close_ = true;
    send(std::move(res));
  }

  bool keeps_open() const {
    return keep_alive_ && !must_close_ && !answer_->closes_connection() && !context_.stopping;
  }

  void send(Response res) {
    answer_ = std::move(res);
    if (answer_->provider && !head_) return send_streamed();
    const bool keep = keeps_open();
    if (head_) {
      auto message = std::make_shared<bhttp::response<bhttp::empty_body>>();
      fill(*message, keep);
      message->content_length(answer_->provider ? answer_->provided_length : answer_->body.size());
      return write_whole(message, keep);
    }
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
    fill(*message, keep);
    message->body() = std::move(answer_->body);
    message->prepare_payload();
    write_whole(message, keep);
  }

  template <class Message>
  void fill(Message& message, bool keep) {
    message.version(version_ == 0 ? 11 : version_);
    message.result(static_cast<unsigned>(answer_->status));
    for (const auto& [name, value] : kSecurityHeaders) message.set(name, value);
    if constexpr (kTls) message.set(bhttp::field::strict_transport_security, kStrictTransportSecurity);
    copy_answer_fields(*answer_, message);
    message.keep_alive(keep);
  }

  template <class Message>
  void write_whole(const std::shared_ptr<Message>& message, bool keep) {
    lowest().expires_after(context_.limits.request_timeout);
    bhttp::async_write(stream_, *message, [self = this->shared_from_this(), message, keep](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      if (!keep) return self->must_close_ ? self->linger() : self->close();
      self->wait_for_request();
    });
  }

  void send_streamed() {
    const bool keep = keeps_open();
    streamed_answer_.emplace();
    fill(*streamed_answer_, keep);
    streamed_answer_->content_length(answer_->provided_length);
    streamed_answer_->body().data = nullptr;
    streamed_answer_->body().more = true;
    serializer_.emplace(*streamed_answer_);
    piece_.resize(kPieceBytes);
    lowest().expires_after(context_.limits.request_timeout);
    bhttp::async_write_header(stream_, *serializer_, [self = this->shared_from_this(), keep](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->send_piece(keep);
    });
  }

  void send_piece(bool keep) {
    if (sent_ >= answer_->provided_length) return end_streamed(keep);
    on_worker([this] { return answer_->provider(sent_, std::span<char>(piece_.data(), piece_.size())); },
              [this, keep](Result<std::size_t> got) {
                if (!got || *got == 0) {
                  spdlog::error("{} {}: the answer ended after {} of {} bytes: {}", request_.method, request_.path, sent_,
                                answer_->provided_length, got ? "no more bytes" : got.error().message);
                  return close();
                }
                auto& body = streamed_answer_->body();
                body.data = piece_.data();
                body.size = *got;
                body.more = true;
                lowest().expires_after(context_.limits.request_timeout);
                bhttp::async_write(stream_, *serializer_,
                                   [self = this->shared_from_this(), keep, n = *got](beast::error_code ec, std::size_t) {
                                     if (ec == bhttp::error::need_buffer) ec = {};
                                     if (ec) return self->close();
                                     self->sent_ += n;
                                     self->send_piece(keep);
                                   });
              });
  }

  void end_streamed(bool keep) {
    auto& body = streamed_answer_->body();
    body.data = nullptr;
    body.size = 0;
    body.more = false;
    bhttp::async_write(stream_, *serializer_, [self = this->shared_from_this(), keep](beast::error_code ec, std::size_t) {
      if (ec || !keep) return self->close();
      self->wait_for_request();
    });
  }

  // After answering a request whose body was not read: stop sending and read what the client
  // still sends, for a while, before closing. Closing at once with unread bytes makes the
  // kernel reset the connection, and a client still sending its body then loses the answer.
  void linger() {
    boost::system::error_code ignored;
    lowest().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    lowest().expires_after(kLingerTime);
    discard();
  }

  void discard() {
    buffer_.consume(buffer_.size());
    lowest().async_read_some(buffer_.prepare(64 << 10), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->discard();
    });
  }

  void close() {
    idle_ = false;
    budget_timer_.cancel();
    beast::error_code ignored;
    lowest().socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    lowest().close();
  }

  ServerContext& context_;
  Stream stream_;
  std::string remote_;
  ConnectionGate::Ticket ticket_;
  asio::steady_timer budget_timer_;
  std::uint64_t registry_id_ = 0;
  beast::flat_buffer buffer_;
  bool idle_ = false;  // waiting for a request's header: stop() closes the connection then

  // The request being served.
  std::optional<bhttp::request_parser<bhttp::empty_body>> header_;
  std::optional<bhttp::request_parser<bhttp::string_body>> body_;
  std::optional<bhttp::request_parser<bhttp::buffer_body>> streamed_body_;
  const Route* route_ = nullptr;
  Request request_;
  service::Caller caller_;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;
  bool must_close_ = false;  // part of the body was not read
  std::uint64_t limit_ = 0;
  std::uint64_t reserved_ = 0;  // of the body budget
  std::uint64_t waiter_ = 0;    // a reservation still waiting
  Clock::time_point body_start_;
  std::uint64_t body_received_ = 0;
  std::unique_ptr<BodySink> sink_;
  std::vector<char> piece_;
  std::size_t filled_ = 0;  // bytes of the upload in piece_, not yet written

  // The answer being written.
  std::optional<Response> answer_;
  std::optional<bhttp::response<bhttp::buffer_body>> streamed_answer_;
  std::optional<bhttp::response_serializer<bhttp::buffer_body>> serializer_;
  std::uint64_t sent_ = 0;
};

}  // namespace

void serve_connection(ServerContext& context, asio::ip::tcp::socket socket, asio::ssl::context* tls,
                      ConnectionGate::Ticket ticket) {
  beast::error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return;
  std::string remote = endpoint.address().to_string();
  if (tls != nullptr) {
    using TlsStream = beast::ssl_stream<beast::tcp_stream>;
    std::make_shared<Connection<TlsStream>>(context, TlsStream(std::move(socket), *tls), std::move(remote), std::move(ticket))
        ->start();
  } else {
    std::make_shared<Connection<beast::tcp_stream>>(context, beast::tcp_stream(std::move(socket)), std::move(remote),
                                                    std::move(ticket))
        ->start();
  }
}

}  // namespace coffer::server::http
