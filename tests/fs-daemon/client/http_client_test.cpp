#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>

#include "client/http_client.hpp"

// The foreground bound (HttpRequest::answer_within) against real sockets on 127.0.0.1: a server
// that accepted the connection and says nothing (as a stopped cofferd), one that refuses, and
// one that answers; and what the connectivity state learns from each.
using namespace coffer;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// A listening socket on a free port of 127.0.0.1. The kernel completes connections into its
// backlog whether or not anyone accepts them.
struct Listener {
  int fd = -1;
  int port = 0;

  Listener() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd, 16) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port = ntohs(address.sin_port);
  }
  ~Listener() { close(); }
  void close() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

client::HttpOptions options_for(int port, std::shared_ptr<remote::Connectivity> connectivity) {
  client::HttpOptions options;
  options.base_url = "http://127.0.0.1:" + std::to_string(port);
  options.retry.initial_backoff = 50ms;
  options.connectivity = std::move(connectivity);
  return options;
}

client::HttpRequest foreground_get(std::chrono::seconds bound) {
  client::HttpRequest request;
  request.target = "/v1/usage";
  request.idempotent = true;
  request.answer_within = bound;
  return request;
}

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

}  // namespace

TEST_CASE("a foreground request to a server that accepted and does not answer fails at its bound") {
  Listener silent;
  auto connectivity = std::make_shared<remote::Connectivity>();
  client::HttpClient http(options_for(silent.port, connectivity));
  const auto start = Clock::now();
  auto response = http.send(foreground_get(2s));
  const double took = seconds_since(start);
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().code == Errc::unavailable);
  CHECK(response.error().message.find("did not answer within 2 s") != std::string::npos);
  CHECK(took >= 1.5);
  CHECK(took < 4.0);  // not the stall timeout (60 s), nor six attempts
  CHECK_FALSE(connectivity->online());
  CHECK_FALSE(connectivity->state().last_error.empty());
}

TEST_CASE("a refused foreground request retries within its bound while online, and is tried once while offline") {
  int port = 0;
  {
    Listener closed;
    port = closed.port;
  }  // nobody listens there now: connections are refused
  auto connectivity = std::make_shared<remote::Connectivity>();
  client::HttpClient http(options_for(port, connectivity));
  auto start = Clock::now();
  auto first = http.send(foreground_get(1s));
  double took = seconds_since(start);
  REQUIRE_FALSE(first.ok());
  CHECK(first.error().code == Errc::unavailable);
  CHECK(took < 2.5);
  CHECK_FALSE(connectivity->online());

  start = Clock::now();
  auto second = http.send(foreground_get(5s));
  took = seconds_since(start);
  REQUIRE_FALSE(second.ok());
  CHECK(took < 0.5);  // one attempt: refused at once
}

TEST_CASE("any answer brings the connectivity back online and tells its listener") {
  Listener server;
  std::thread answer([&] {
    int connection = ::accept(server.fd, nullptr, nullptr);
    char request[4096];
    (void)::recv(connection, request, sizeof request, 0);
    const char reply[] = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    (void)::send(connection, reply, std::strlen(reply), 0);
    ::close(connection);
  });
  auto connectivity = std::make_shared<remote::Connectivity>();
  connectivity->unanswered("before the test");
  std::atomic<int> told{0};
  connectivity->set_online_listener([&] { ++told; });
  client::HttpClient http(options_for(server.port, connectivity));
  auto response = http.send(foreground_get(5s));
  answer.join();
  REQUIRE(response.ok());
  CHECK(response->status == 503);
  CHECK(connectivity->online());
  CHECK(told == 1);
}
