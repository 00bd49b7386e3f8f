#include "protocol/links.hpp"
#include "server/http/replies.hpp"
#include "server/http/routes.hpp"

// Share links (docs/api.md, "Links"). Creating, listing and revoking need a session; reading
// a link's description and opening it need only its id, and back off like logins.

namespace coffer::server::http {
namespace {

const std::string kLink = std::string("/v1/links/") + kParam;

Result<std::string> link_param(const Request& req) {
  const std::string& id = req.matches.size() > 1 ? req.matches[1] : std::string();
  if (!protocol::is_link_id(id)) {
    return make_error(Errc::invalid_argument, "link_id: expected base64url with padding of 16 bytes");
  }
  return id;
}

}  // namespace

void add_link_routes(RouteTable& routes, service::Services& services) {
  auto& links = services.links;
  routes.add("POST", "/v1/links", RouteAccess::user, RouteBody::small, [&links](const Request& req, Response& res) {
    auto body = read_body<protocol::CreateLinkRequest>(req);
    if (!body) return reply_error(res, body.error());
    auto created = links.create(RequestScope::caller(), *body);
    if (!created && created.details().contains("too_many_links")) {
      return reply_json(res, 400, protocol::Json{{"error", "too_many_links"}, {"message", created.error().message}});
    }
    reply(res, std::move(created), 201);
  });
  routes.add("GET", "/v1/links", RouteAccess::user, RouteBody::none, [&links](const Request&, Response& res) {
    reply(res, links.list(RequestScope::caller()), 200);
  });
  routes.add("DELETE", kLink, RouteAccess::user, RouteBody::none, [&links](const Request& req, Response& res) {
    auto id = link_param(req);
    if (!id) return reply_error(res, id.error());
    reply(res, links.revoke(RequestScope::caller(), *id), 204);
  });
  routes.add("GET", kLink, RouteAccess::open, RouteBody::none, [&links](const Request& req, Response& res) {
    auto id = link_param(req);
    if (!id) return reply_error(res, id.error());
    reply(res, links.info(*id, req.remote_addr), 200);
  });
  routes.add("POST", kLink + "/open", RouteAccess::open, RouteBody::none, [&links](const Request& req, Response& res) {
    auto id = link_param(req);
    if (!id) return reply_error(res, id.error());
    reply(res, links.open(*id, req.remote_addr), 200);
  });
}

}  // namespace coffer::server::http
