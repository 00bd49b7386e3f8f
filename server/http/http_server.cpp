#include "server/http/http_server.hpp"

#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <optional>
#include <thread>
#include <vector>

#include "log/logging.hpp"
#include "server/http/connection.hpp"
#include "server/http/routes.hpp"

namespace coffer::server::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

Result<std::unique_ptr<asio::ssl::context>> load_tls(const ServerConfig& config) {
  auto tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  boost::system::error_code ec;
  tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1,
                   ec);
  if (!ec) tls->use_certificate_chain_file(config.tls_certificate, ec);
  if (!ec) tls->use_private_key_file(config.tls_private_key, asio::ssl::context::pem, ec);
  if (ec) {
    return make_error(Errc::invalid_argument, "cannot load the TLS certificate " + config.tls_certificate +
                                                  " or private key " + config.tls_private_key + ": " + ec.message());
  }
  return tls;
}

// Every connection is a descriptor: raise the soft limit to the hard one, and keep the
// connection cap below it with room for the database, blobs and logs.
std::size_t connection_cap(const Limits& limits) {
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < files.rlim_max) {
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
  }
  getrlimit(RLIMIT_NOFILE, &files);
  const auto wanted = static_cast<std::size_t>(limits.max_connections);
  const std::size_t room = files.rlim_cur > 256 ? static_cast<std::size_t>(files.rlim_cur) - 128 : 128;
  if (wanted > room) spdlog::warn("limits.max_connections {} lowered to {} by the open file limit", wanted, room);
  return std::min(wanted, room);
}

}  // namespace

class HttpServer::State {
 public:
  State(service::Services& services, const ServerConfig& config, std::unique_ptr<asio::ssl::context> tls)
      : services_(services),
        config_(config),
        tls_(std::move(tls)),
        workers_(static_cast<std::size_t>(config.limits.threads)),
        budget_(config.limits.max_body_memory),
        gate_(static_cast<std::size_t>(config.limits.max_connections_per_address), connection_cap(config.limits)),
        context_{routes_, services, config.limits, workers_, budget_, registry_},
        acceptor_(io_) {
    add_auth_routes(routes_, services);
    add_node_routes(routes_, services);
    add_content_routes(routes_, services);
    add_feed_routes(routes_, services);
    add_trash_routes(routes_, services);
    add_share_routes(routes_, services);
    add_admin_routes(routes_, services);
    add_link_routes(routes_, services);
    if (config.web_root.empty()) {
      add_web_routes(routes_, web::WebFiles::embedded());
    } else {
      spdlog::info("serving the web dashboard from {}", config.web_root.string());
      add_web_routes(routes_, web::WebFiles::from_directory(config.web_root));
    }
  }

  Result<int> bind();
  Status serve();
  void stop();

 private:
  void accept();
  void run_io();

  service::Services& services_;
  const ServerConfig& config_;
  std::unique_ptr<asio::ssl::context> tls_;
  RouteTable routes_;
  asio::io_context io_;
  asio::thread_pool workers_;
  BodyBudget budget_;
  ConnectionGate gate_;
  ConnectionRegistry registry_;
  ServerContext context_;
  tcp::acceptor acceptor_;
};

Result<int> HttpServer::State::bind() {
  const auto& listen = config_.listen;
  boost::system::error_code ec;
  tcp::resolver resolver(io_);
  const auto found = resolver.resolve(listen.host, std::to_string(listen.port), tcp::resolver::passive, ec);
  if (ec || found.empty()) return make_error(Errc::unavailable, "cannot resolve " + listen.host + ": " + ec.message());
  const tcp::endpoint endpoint = found.begin()->endpoint();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return make_error(Errc::unavailable, "cannot listen on " + listen.to_string() + ": " + ec.message());
  return static_cast<int>(acceptor_.local_endpoint().port());
}

void HttpServer::State::accept() {
  acceptor_.async_accept(asio::make_strand(io_), [this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      const auto remote = socket.remote_endpoint(ignored);
      auto ticket = gate_.admit(remote.address().to_string());
      if (ticket) {
        serve_connection(context_, std::move(socket), tls_.get(), std::move(*ticket));
      } else {
        spdlog::debug("{}: too many connections, closed", remote.address().to_string());
        socket.close(ignored);
      }
    } else {
      // Out of descriptors or memory for a moment: log it and keep accepting.
      spdlog::warn("accepting a connection failed: {}", ec.message());
    }
    accept();
  });
}

// The one exception barrier of an I/O thread: a failure in one connection's completion is
// logged, and the thread goes on serving the others.
void HttpServer::State::run_io() {
  for (;;) {
    try {
      io_.run();
      return;
    } catch (const std::exception& e) {
      spdlog::error("unexpected failure in a connection: {}", e.what());
    } catch (...) {
      spdlog::error("unexpected failure in a connection");
    }
  }
}

Status HttpServer::State::serve() {
  if (!acceptor_.is_open()) return make_error(Errc::unavailable, "the listener is not bound");
  accept();
  std::vector<std::thread> threads;
  for (std::int64_t i = 1; i < config_.limits.io_threads; ++i) threads.emplace_back([this] { run_io(); });
  run_io();
  for (auto& thread : threads) thread.join();
  workers_.join();
  return {};
}

void HttpServer::State::stop() {
  context_.stopping = true;
  services_.notifier().shutdown();
  asio::post(io_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    registry_.close_idle();
  });
}

Result<std::unique_ptr<HttpServer>> HttpServer::create(service::Services& services, const ServerConfig& config) {
  std::unique_ptr<asio::ssl::context> tls;
  if (config.uses_tls()) {
    auto loaded = load_tls(config);
    if (!loaded) return loaded.error();
    tls = std::move(*loaded);
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::make_unique<State>(services, config, std::move(tls))));
}

HttpServer::HttpServer(std::unique_ptr<State> state) : state_(std::move(state)) {}
HttpServer::~HttpServer() = default;

Result<int> HttpServer::bind() { return state_->bind(); }
Status HttpServer::serve() { return state_->serve(); }
void HttpServer::stop() { state_->stop(); }

}  // namespace coffer::server::http
