#pragma once

#include <memory>

#include "server/config/server_config.hpp"
#include "server/http/route_table.hpp"
#include "server/service/services.hpp"

namespace httplib {
class Server;
}

namespace coffer::server::http {

// cofferd's HTTP(S) front: httplib with the routes of docs/api.md, authentication and size
// checks before any body is read, socket timeouts, and answers for errors httplib raises itself.
// The only code (with the route files) that knows httplib.
class HttpServer {
 public:
  // HTTPS when the config names a certificate and key (Errc::invalid_argument when they do not
  // load), plain HTTP otherwise.
  static Result<std::unique_ptr<HttpServer>> create(service::Services& services, const ServerConfig& config);
  ~HttpServer();

  // Binds the listen address and returns the port (the config's, or a free one for port 0).
  Result<int> bind();
  // Serves until stop(); returns after the requests in flight have finished.
  Status serve();
  // Safe from any thread, any number of times.
  void stop();

 private:
  HttpServer(service::Services& services, const ServerConfig& config, std::unique_ptr<httplib::Server> server);
  void configure();
  httplib::Server::HandlerResponse pre_route(const httplib::Request& req, httplib::Response& res);

  service::Services& services_;
  const ServerConfig& config_;
  std::unique_ptr<httplib::Server> server_;
  RouteTable routes_;
};

}  // namespace coffer::server::http
