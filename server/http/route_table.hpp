#pragma once

#include <httplib.h>

#include <regex>
#include <string>
#include <vector>

#include "server/service/caller.hpp"

namespace coffer::server::http {

enum class RouteAccess { open, user, admin };  // open: no session needed
enum class RouteBody { none, json, blob };

struct Route {
  std::string method;
  std::string pattern;
  std::regex regex;
  RouteAccess access;
  RouteBody body;
};

// The routes cofferd serves. The pre-routing hook looks a request up here before its body is
// read (unknown route -> 404, too large -> 413, who may call it), and install() hands the
// handlers to httplib.
class RouteTable {
 public:
  using Handler = httplib::Server::Handler;
  using StreamingHandler = httplib::Server::HandlerWithContentReader;

  void add(const std::string& method, const std::string& pattern, RouteAccess access, RouteBody body, Handler handler);
  // A route whose body the handler streams itself (blob uploads).
  void add_streaming(const std::string& method, const std::string& pattern, RouteAccess access,
                     StreamingHandler handler);

  // HEAD requests match GET routes, as httplib serves them.
  const Route* find(const std::string& method, const std::string& path) const;
  void install(httplib::Server& server) const;

 private:
  struct Entry {
    Route route;
    Handler handler;
    StreamingHandler streaming;
  };
  std::vector<Entry> entries_;
};

// The caller of the request this thread is handling. httplib gives the pre-routing hook and
// the handler the same thread but no place on the request for our data, so the hook leaves
// the authenticated caller here and each handler reads it.
class RequestScope {
 public:
  static void begin(service::Caller caller);
  static void end();
  static const service::Caller& caller();
};

}  // namespace coffer::server::http
