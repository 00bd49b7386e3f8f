#include "server/http/http_server.hpp"

#include <httplib.h>

#include "log/logging.hpp"
#include "server/http/replies.hpp"
#include "server/http/routes.hpp"
#include "server/http/status_map.hpp"

namespace coffer::server::http {
namespace {

using httplib::Request;
using httplib::Response;
using HandlerResponse = httplib::Server::HandlerResponse;

std::string bearer_token(const Request& req) {
  static const std::string kPrefix = "Bearer ";
  const std::string header = req.get_header_value("Authorization");
  return header.rfind(kPrefix, 0) == 0 ? header.substr(kPrefix.size()) : std::string();
}

bool has_body(const Request& req) {
  return req.get_header_value("Transfer-Encoding") == "chunked" ||
         (req.has_header("Content-Length") && req.get_header_value<std::uint64_t>("Content-Length") > 0);
}

Status check_headers(const Request& req, const Limits& limits) {
  if (req.headers.size() > static_cast<std::size_t>(limits.max_header_count)) {
    return make_error(Errc::too_large, "too many header fields");
  }
  std::uint64_t bytes = 0;
  for (const auto& [name, value] : req.headers) bytes += name.size() + value.size();
  if (bytes > limits.max_header_bytes) return make_error(Errc::too_large, "the header fields are too large");
  return {};
}

Status check_body_size(const Route& route, const Request& req, const Limits& limits) {
  if (!req.has_header("Content-Length")) return {};
  const auto declared = req.get_header_value<std::uint64_t>("Content-Length");
  const std::uint64_t limit = route.body == RouteBody::blob ? limits.max_blob_size : limits.max_request_body;
  if (declared > limit) {
    return make_error(Errc::too_large, "the body may be at most " + std::to_string(limit) + " bytes");
  }
  return {};
}

// Answers a request refused before its body was read; the connection cannot be reused then.
HandlerResponse refuse(const Request& req, Response& res, const Error& error) {
  reply_error(res, error);
  if (has_body(req)) res.set_header("Connection", "close");
  return HandlerResponse::Handled;
}

}  // namespace

Result<std::unique_ptr<HttpServer>> HttpServer::create(service::Services& services, const ServerConfig& config) {
  std::unique_ptr<httplib::Server> server;
  if (config.uses_tls()) {
    server = std::make_unique<httplib::SSLServer>(config.tls_certificate.c_str(), config.tls_private_key.c_str());
    if (!server->is_valid()) {
      return make_error(Errc::invalid_argument, "cannot load the TLS certificate " + config.tls_certificate +
                                                    " or private key " + config.tls_private_key);
    }
  } else {
    server = std::make_unique<httplib::Server>();
  }
  std::unique_ptr<HttpServer> http(new HttpServer(services, config, std::move(server)));
  http->configure();
  return http;
}

HttpServer::HttpServer(service::Services& services, const ServerConfig& config, std::unique_ptr<httplib::Server> server)
    : services_(services), config_(config), server_(std::move(server)) {}

HttpServer::~HttpServer() = default;

void HttpServer::configure() {
  add_auth_routes(routes_, services_);
  add_node_routes(routes_, services_);
  add_content_routes(routes_, services_);
  add_feed_routes(routes_, services_);
  add_admin_routes(routes_, services_);
  routes_.install(*server_);

  const auto& limits = config_.limits;
  const auto threads = static_cast<std::size_t>(limits.threads);
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_payload_max_length(std::max(limits.max_request_body, limits.max_blob_size));
  server_->set_read_timeout(limits.request_timeout);
  server_->set_write_timeout(limits.request_timeout);
  server_->set_keep_alive_timeout(limits.keep_alive_timeout.count());
  server_->set_keep_alive_max_count(1000);
  server_->set_tcp_nodelay(true);
  server_->set_pre_routing_handler([this](const Request& req, Response& res) { return pre_route(req, res); });
  // Errors httplib raises itself (a malformed request line, a body over the payload limit)
  // get the JSON error body too; answers that already have one are left alone.
  server_->set_error_handler(httplib::Server::HandlerWithResponse([](const Request&, Response& res) {
    if (!res.body.empty() || res.content_provider_) return HandlerResponse::Unhandled;
    const Errc code = res.status == 413 ? Errc::too_large : res.status == 404 ? Errc::not_found : Errc::invalid_argument;
    const int status = res.status;
    reply_json(res, status, protocol::Json{{"error", error_code(code)}, {"message", "the request was not understood"}});
    return HandlerResponse::Handled;
  }));
  server_->set_exception_handler([](const Request& req, Response& res, std::exception_ptr thrown) {
    try {
      std::rethrow_exception(thrown);
    } catch (const std::exception& e) {
      spdlog::error("unexpected failure in {} {}: {}", req.method, req.path, e.what());
    } catch (...) {
      spdlog::error("unexpected failure in {} {}", req.method, req.path);
    }
    reply_error(res, make_error(Errc::internal, "unexpected failure"));
  });
  server_->set_logger([](const Request& req, const Response& res) {
    spdlog::debug("{} {} {} -> {}", req.remote_addr, req.method, req.path, res.status);
  });
}

HandlerResponse HttpServer::pre_route(const Request& req, Response& res) {
  RequestScope::end();
  // httplib 0.11.4 cuts every answer to a Range header, JSON errors included, and gets ranges
  // past the end wrong; the blob route reads the header itself, so the parsed ranges are
  // dropped here. The Request is httplib's own non-const object, handed to this hook as const.
  const_cast<Request&>(req).ranges.clear();
  const auto& limits = config_.limits;
  if (auto headers = check_headers(req, limits); !headers) return refuse(req, res, headers.error());
  const Route* route = routes_.find(req.method, req.path);
  if (route == nullptr) return refuse(req, res, make_error(Errc::not_found, "no such route"));
  if (auto size = check_body_size(*route, req, limits); !size) return refuse(req, res, size.error());
  if (route->access == RouteAccess::open) return HandlerResponse::Unhandled;
  auto caller = services_.auth.authenticate(bearer_token(req), req.remote_addr);
  if (!caller) return refuse(req, res, caller.error());
  if (route->access == RouteAccess::admin && !caller->admin) {
    return refuse(req, res, make_error(Errc::permission_denied, "this route is for administrators"));
  }
  RequestScope::begin(std::move(*caller));
  return HandlerResponse::Unhandled;
}

Result<int> HttpServer::bind() {
  const auto& listen = config_.listen;
  if (listen.port == 0) {
    const int port = server_->bind_to_any_port(listen.host);
    if (port < 0) return make_error(Errc::unavailable, "cannot listen on " + listen.host);
    return port;
  }
  if (!server_->bind_to_port(listen.host, listen.port)) {
    return make_error(Errc::unavailable, "cannot listen on " + listen.to_string());
  }
  return listen.port;
}

Status HttpServer::serve() {
  if (!server_->listen_after_bind() && server_->is_running()) {
    return make_error(Errc::unavailable, "the listener failed");
  }
  return {};
}

void HttpServer::stop() {
  services_.notifier().shutdown();
  server_->stop();
}

}  // namespace coffer::server::http
