#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/http/request.hpp"
#include "server/service/caller.hpp"

namespace coffer::server {
struct Limits;
}

namespace coffer::server::http {

// open: no session needed; link: a session or a share link's token (the read-only routes a
// link page uses; docs/api.md, "Links"); user and admin: a session only.
enum class RouteAccess { open, link, user, admin };

// What a route reads after its header, and so how much it may read: no body is read past its
// route's limit (body_limit()).
enum class RouteBody {
  none,   // no body expected; one of at most 4 KiB is read and dropped
  small,  // JSON of at most 32 KiB: the routes open to anyone (log in, register) and account changes
  json,   // JSON of at most 1 MiB: one node's change (its attribute record is at most 256 KiB)
  batch,  // the batch route: JSON of at most limits.max_request_body
  commit,  // a version commit: JSON of at most limits.max_commit_body, nearly all long strings
  blob,   // streamed to the route's BodySink, at most limits.max_blob_size
};

using Handler = std::function<void(const Request&, Response&)>;
// A streaming route's start: the sink for its body, or none when `res` already answers it
// (the body is then not read).
using StreamingHandler = std::function<std::unique_ptr<BodySink>(const Request&, Response&)>;

struct Route {
  std::string method;
  std::string pattern;  // literal segments and kParam, "([^/]+)"
  std::vector<std::string> segments;  // the pattern split at '/'; a kParam segment matches any non-empty one
  RouteAccess access;
  RouteBody body;
  Handler handler;
  StreamingHandler streaming;
};

std::uint64_t body_limit(RouteBody body, const Limits& limits);
// How many times its size a route's JSON body may cost to parse (protocol::JsonBounds): 8 for
// any shape a client may send, 3 for commits, whose manifest and chunk ids are long strings. A
// JSON body reserves one more than this of the body budget before it is read.
std::size_t json_cost_factor(RouteBody body);

// The routes cofferd serves. The connection looks a request up here before its body is read
// (unknown route -> 404, too large -> 413, who may call it).
class RouteTable {
 public:
  void add(const std::string& method, const std::string& pattern, RouteAccess access, RouteBody body, Handler handler);
  // A route whose body the handler streams itself (blob uploads).
  void add_streaming(const std::string& method, const std::string& pattern, RouteAccess access,
                     StreamingHandler handler);

  // The GET route of every path that no route matches and that is not under /v1/: the web
  // dashboard's files (routes_web.cpp). Open, no body.
  void set_fallback(Handler handler);

  // HEAD requests match GET routes. Matching compares path segments; `params` (when given)
  // receives the path parameters in order.
  const Route* find(const std::string& method, const std::string& path, std::vector<std::string>* params = nullptr) const;

 private:
  std::vector<Route> routes_;
  std::optional<Route> fallback_;
};

// The caller of the request this thread is handling: the connection sets it around each call
// into a handler on a worker thread, and each handler reads it.
class RequestScope {
 public:
  static void begin(service::Caller caller);
  static void end();
  static const service::Caller& caller();
};

}  // namespace coffer::server::http
