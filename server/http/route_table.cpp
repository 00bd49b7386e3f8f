#include "server/http/route_table.hpp"

#include <optional>

namespace coffer::server::http {
namespace {

thread_local std::optional<service::Caller> current_caller;

}  // namespace

void RouteTable::add(const std::string& method, const std::string& pattern, RouteAccess access, RouteBody body,
                     Handler handler) {
  entries_.push_back(Entry{Route{method, pattern, std::regex(pattern), access, body}, std::move(handler), nullptr});
}

void RouteTable::add_streaming(const std::string& method, const std::string& pattern, RouteAccess access,
                               StreamingHandler handler) {
  entries_.push_back(
      Entry{Route{method, pattern, std::regex(pattern), access, RouteBody::blob}, nullptr, std::move(handler)});
}

const Route* RouteTable::find(const std::string& method, const std::string& path) const {
  const std::string& wanted = method == "HEAD" ? std::string("GET") : method;
  for (const auto& entry : entries_) {
    if (entry.route.method == wanted && std::regex_match(path, entry.route.regex)) return &entry.route;
  }
  return nullptr;
}

void RouteTable::install(httplib::Server& server) const {
  for (const auto& entry : entries_) {
    const auto& route = entry.route;
    if (entry.streaming) {
      if (route.method == "PUT") server.Put(route.pattern, entry.streaming);
      if (route.method == "POST") server.Post(route.pattern, entry.streaming);
      continue;
    }
    if (route.method == "GET") server.Get(route.pattern, entry.handler);
    if (route.method == "POST") server.Post(route.pattern, entry.handler);
    if (route.method == "PUT") server.Put(route.pattern, entry.handler);
    if (route.method == "DELETE") server.Delete(route.pattern, entry.handler);
  }
}

void RequestScope::begin(service::Caller caller) { current_caller = std::move(caller); }
void RequestScope::end() { current_caller.reset(); }

const service::Caller& RequestScope::caller() {
  static const service::Caller nobody;
  return current_caller ? *current_caller : nobody;
}

}  // namespace coffer::server::http
