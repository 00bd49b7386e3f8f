#include "server/http/route_table.hpp"

#include <optional>
#include <string_view>

namespace coffer::server::http {
namespace {

thread_local std::optional<service::Caller> current_caller;

constexpr std::string_view kParamPattern = "([^/]+)";
constexpr std::string_view kParamSegment = "\x01";  // stands for kParamPattern, which holds a '/'

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = path.find('/', start);
    parts.push_back(path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

Route make_route(const std::string& method, const std::string& pattern, RouteAccess access, RouteBody body) {
  Route route{method, pattern, {}, access, body};
  std::string marked;
  for (std::size_t i = 0; i < pattern.size();) {
    const bool parameter = std::string_view(pattern).substr(i, kParamPattern.size()) == kParamPattern;
    marked += parameter ? kParamSegment : std::string_view(&pattern[i], 1);
    i += parameter ? kParamPattern.size() : 1;
  }
  for (auto part : split_path(marked)) route.segments.emplace_back(part);
  return route;
}

bool matches(const Route& route, const std::vector<std::string_view>& parts) {
  if (parts.size() != route.segments.size()) return false;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const auto& expected = route.segments[i];
    if (expected == kParamSegment ? parts[i].empty() : parts[i] != expected) return false;
  }
  return true;
}

}  // namespace

void RouteTable::add(const std::string& method, const std::string& pattern, RouteAccess access, RouteBody body,
                     Handler handler) {
  entries_.push_back(Entry{make_route(method, pattern, access, body), std::move(handler), nullptr});
}

void RouteTable::add_streaming(const std::string& method, const std::string& pattern, RouteAccess access,
                               StreamingHandler handler) {
  entries_.push_back(Entry{make_route(method, pattern, access, RouteBody::blob), nullptr, std::move(handler)});
}

const Route* RouteTable::find(const std::string& method, const std::string& path) const {
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : std::string_view(method);
  const auto parts = split_path(path);
  for (const auto& entry : entries_) {
    if (entry.route.method == wanted && matches(entry.route, parts)) return &entry.route;
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
