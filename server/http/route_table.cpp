#include "server/http/route_table.hpp"

#include <optional>
#include <string_view>

#include "server/config/server_config.hpp"

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
  Route route{method, pattern, {}, access, body, nullptr, nullptr};
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

std::uint64_t body_limit(RouteBody body, const Limits& limits) {
  switch (body) {
    case RouteBody::none:
      return 4 << 10;
    case RouteBody::small:
      return 32 << 10;
    case RouteBody::json:
      return 1 << 20;
    case RouteBody::batch:
      return limits.max_request_body;
    case RouteBody::commit:
      return limits.max_commit_body;
    case RouteBody::blob:
      return limits.max_blob_size;
  }
  return 0;
}

std::size_t json_cost_factor(RouteBody body) { return body == RouteBody::commit ? 3 : 8; }

void RouteTable::add(const std::string& method, const std::string& pattern, RouteAccess access, RouteBody body,
                     Handler handler) {
  Route route = make_route(method, pattern, access, body);
  route.handler = std::move(handler);
  routes_.push_back(std::move(route));
}

void RouteTable::add_streaming(const std::string& method, const std::string& pattern, RouteAccess access,
                               StreamingHandler handler) {
  Route route = make_route(method, pattern, access, RouteBody::blob);
  route.streaming = std::move(handler);
  routes_.push_back(std::move(route));
}

void RouteTable::set_fallback(Handler handler) {
  Route route = make_route("GET", "/", RouteAccess::open, RouteBody::none);
  route.handler = std::move(handler);
  fallback_ = std::move(route);
}

const Route* RouteTable::find(const std::string& method, const std::string& path,
                              std::vector<std::string>* params) const {
  const std::string_view wanted = method == "HEAD" ? std::string_view("GET") : std::string_view(method);
  const auto parts = split_path(path);
  for (const auto& route : routes_) {
    if (route.method != wanted || !matches(route, parts)) continue;
    if (params != nullptr) {
      for (std::size_t i = 0; i < parts.size(); ++i) {
        if (route.segments[i] == kParamSegment) params->emplace_back(parts[i]);
      }
    }
    return &route;
  }
  if (fallback_ && wanted == "GET" && path.rfind("/v1/", 0) != 0) return &*fallback_;
  return nullptr;
}

void RequestScope::begin(service::Caller caller) { current_caller = std::move(caller); }
void RequestScope::end() { current_caller.reset(); }

const service::Caller& RequestScope::caller() {
  static const service::Caller nobody;
  return current_caller ? *current_caller : nobody;
}

}  // namespace coffer::server::http
