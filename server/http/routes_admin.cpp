#include "protocol/formats.hpp"
#include "protocol/shares.hpp"
#include "server/http/replies.hpp"
#include "server/http/routes.hpp"

namespace coffer::server::http {

// Read-only views for admin sessions; changes go through coffer-admin on the server machine.
void add_admin_routes(RouteTable& routes, service::Services& services) {
  auto& admin = services.admin;
  routes.add("GET", "/v1/admin/users", RouteAccess::admin, RouteBody::none,
             [&admin](const Request&, Response& res) { reply(res, admin.users(), 200); });
  routes.add("GET", "/v1/admin/stats", RouteAccess::admin, RouteBody::none,
             [&admin](const Request&, Response& res) { reply(res, admin.stats(), 200); });
  routes.add("GET", "/v1/admin/audit", RouteAccess::admin, RouteBody::none, [&admin](const Request& req, Response& res) {
    auto since = number_query(req, "since", INT64_MAX);
    auto limit = number_query(req, "limit", 10000);
    if (!since || !limit) return reply_error(res, !since ? since.error() : limit.error());
    reply(res, admin.audit(static_cast<std::int64_t>(since->value_or(0)), limit->value_or(1000)), 200);
  });
  routes.add("GET", "/v1/admin/shares", RouteAccess::admin, RouteBody::none,
             [&shares = services.shares](const Request& req, Response& res) {
               std::optional<std::string> user;
               if (req.has_param("user")) {
                 user = req.get_param_value("user");
                 if (!protocol::is_user_name(*user)) {
                   return reply_error(res, make_error(Errc::invalid_argument, "user: expected a user name"));
                 }
               }
               reply(res, shares.admin_list(user), 200);
             });
}

}  // namespace coffer::server::http
