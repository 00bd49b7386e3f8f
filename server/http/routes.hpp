#pragma once

#include "server/http/route_table.hpp"
#include "server/service/services.hpp"
#include "server/web/web_files.hpp"

namespace coffer::server::http {

// Each adds one part of docs/api.md. Handlers only parse, call one service function and reply.
void add_auth_routes(RouteTable& routes, service::Services& services);
void add_node_routes(RouteTable& routes, service::Services& services);
void add_content_routes(RouteTable& routes, service::Services& services);
void add_feed_routes(RouteTable& routes, service::Services& services);
void add_trash_routes(RouteTable& routes, service::Services& services);
void add_share_routes(RouteTable& routes, service::Services& services);
void add_admin_routes(RouteTable& routes, service::Services& services);
void add_link_routes(RouteTable& routes, service::Services& services);
// The web dashboard: `/`, `/l/{id}` and the allow-listed files of web/, from `files`.
void add_web_routes(RouteTable& routes, web::WebFiles files);

// Path patterns: parameters are matched loosely and checked by the handler, so a malformed
// id is a 400 that says what is wrong rather than a 404.
inline constexpr const char* kParam = "([^/]+)";

}  // namespace coffer::server::http
