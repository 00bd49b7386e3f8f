#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "server/config/server_config.hpp"
#include "server/http/body_budget.hpp"
#include "server/http/connection_gate.hpp"
#include "server/http/route_table.hpp"
#include "server/service/services.hpp"

namespace coffer::server::http {

// The connections that are open, so that stop() can close those waiting for a request.
class ConnectionRegistry {
 public:
  std::uint64_t add(std::function<void()> close_if_idle);
  void remove(std::uint64_t id);
  void close_idle();  // calls each close_if_idle, which posts to its connection's strand

 private:
  std::mutex mutex_;  // a leaf lock: close_idle copies the callbacks out before calling them
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, std::function<void()>> open_;
};

// What every connection shares.
struct ServerContext {
  const RouteTable& routes;
  service::Services& services;
  const Limits& limits;
  boost::asio::thread_pool& workers;
  BodyBudget& budget;
  ConnectionRegistry& registry;
  std::atomic<bool> stopping{false};
};

// Serves one accepted connection until it closes: reads each request's header within
// limits.header_timeout, finds its route, authenticates it on a worker, reads its body within
// the route's limit and at limits.body_min_rate, runs the handler on a worker and writes the
// answer. Waiting on the network holds no thread. `tls` is null for plain HTTP.
void serve_connection(ServerContext& context, boost::asio::ip::tcp::socket socket, boost::asio::ssl::context* tls,
                      ConnectionGate::Ticket ticket);

}  // namespace coffer::server::http
