#include <doctest/doctest.h>

#include "server/http/route_table.hpp"
#include "server/http/routes.hpp"

using namespace coffer::server::http;

TEST_CASE("routes match by method and path segments, parameters take any one segment") {
  RouteTable table;
  auto handler = [](const Request&, Response&) {};
  table.add("GET", "/v1/nodes/" + std::string(kParam), RouteAccess::user, RouteBody::none, handler);
  table.add("GET", "/v1/nodes/" + std::string(kParam) + "/entries", RouteAccess::user, RouteBody::none, handler);
  table.add("DELETE", "/v1/sessions/current", RouteAccess::user, RouteBody::none, handler);
  table.add("GET", "/v1/health", RouteAccess::open, RouteBody::none, handler);
  CHECK(table.find("GET", "/v1/nodes/abc")->pattern == "/v1/nodes/([^/]+)");
  CHECK(table.find("HEAD", "/v1/nodes/abc")->pattern == "/v1/nodes/([^/]+)");
  CHECK(table.find("GET", "/v1/nodes/abc/entries")->segments.size() == 5);
  CHECK(table.find("GET", "/v1/health")->access == RouteAccess::open);
  CHECK(table.find("DELETE", "/v1/sessions/current") != nullptr);
  CHECK(table.find("POST", "/v1/nodes/abc") == nullptr);
  CHECK(table.find("GET", "/v1/nodes/") == nullptr);        // an empty parameter
  CHECK(table.find("GET", "/v1/nodes/a/b") == nullptr);     // two segments for one
  CHECK(table.find("GET", "/v1/nodes/../../etc") == nullptr);
  CHECK(table.find("GET", "/v1/health/") == nullptr);
  CHECK(table.find("GET", "v1/health") == nullptr);
}
