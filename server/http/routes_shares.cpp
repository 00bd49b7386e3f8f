#include "protocol/formats.hpp"
#include "protocol/shares.hpp"
#include "server/http/replies.hpp"
#include "server/http/routes.hpp"

namespace coffer::server::http {
namespace {

Result<std::string> grantee_param(const Request& req) {
  const std::string& name = req.matches[2];
  if (!protocol::is_user_name(name)) return make_error(Errc::invalid_argument, "grantee: expected a user name");
  return name;
}

}  // namespace

// Sharing (docs/api.md, "Sharing").
void add_share_routes(RouteTable& routes, service::Services& services) {
  auto& shares = services.shares;
  routes.add("POST", "/v1/shares", RouteAccess::user, RouteBody::json, [&shares](const Request& req, Response& res) {
    auto body = read_body<protocol::ShareRequest>(req);
    if (!body) return reply_error(res, body.error());
    auto granted = shares.grant(RequestScope::caller(), *body);
    if (!granted) return reply_error(res, granted.error(), granted.details());
    reply_json(res, granted->created ? 201 : 200, protocol::Json(granted->share));
  });
  routes.add("GET", "/v1/shares", RouteAccess::user, RouteBody::none, [&shares](const Request&, Response& res) {
    reply(res, shares.list(RequestScope::caller()), 200);
  });
  routes.add("DELETE", std::string("/v1/shares/") + kParam + "/" + kParam, RouteAccess::user, RouteBody::none,
             [&shares](const Request& req, Response& res) {
               auto node = hex_param(req, 1, protocol::kNodeIdLength, "node_id");
               auto grantee = grantee_param(req);
               if (!node || !grantee) return reply_error(res, !node ? node.error() : grantee.error());
               reply(res, shares.revoke(RequestScope::caller(), *node, *grantee), 204);
             });
}

}  // namespace coffer::server::http
