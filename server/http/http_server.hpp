#pragma once

#include <memory>

#include "server/config/server_config.hpp"
#include "server/service/services.hpp"

namespace coffer::server::http {

// cofferd's HTTP(S) front (Boost.Beast on Asio): the routes of docs/api.md, a fixed set of I/O
// threads that multiplex every connection (a connection waiting on the network holds no
// thread), a pool of workers that run the handlers, and the limits of server.md ("Holding
// against hostile clients"): header deadline, body minimum rate, per-route body limits, a
// memory budget for bodies, connection caps in all and per address. The only code (with the
// route files) that knows HTTP.
class HttpServer {
 public:
  // HTTPS when the config names a certificate and key (Errc::invalid_argument when they do not
  // load), plain HTTP otherwise.
  static Result<std::unique_ptr<HttpServer>> create(service::Services& services, const ServerConfig& config);
  ~HttpServer();

  // Binds the listen address and returns the port (the config's, or a free one for port 0).
  Result<int> bind();
  // Serves until stop(); returns after the requests in flight have been answered.
  Status serve();
  // Safe from any thread, any number of times.
  void stop();

 private:
  class State;
  explicit HttpServer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

}  // namespace coffer::server::http
