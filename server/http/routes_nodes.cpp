#include "protocol/formats.hpp"
#include "protocol/limits.hpp"
#include "protocol/nodes.hpp"
#include "server/http/replies.hpp"
#include "server/http/routes.hpp"

namespace coffer::server::http {
namespace {

using protocol::kNameTagLength;
using protocol::kNodeIdLength;

const std::string kNode = std::string("/v1/nodes/") + kParam;
const std::string kEntry = kNode + "/entries/" + kParam;

Result<std::string> node_param(const Request& req, int index = 1, const char* name = "node_id") {
  return hex_param(req, index, kNodeIdLength, name);
}

Result<std::string> tag_param(const Request& req) { return hex_param(req, 2, kNameTagLength, "name_tag"); }

Result<std::string> after_query(const Request& req) {
  if (!req.has_param("after")) return std::string();
  std::string after = req.get_param_value("after");
  if (!protocol::is_hex(after, kNameTagLength)) return make_error(Errc::invalid_argument, "after: expected a name tag");
  return after;
}

// Removing, moving, linking and re-attributing: the routes that change entries and nodes.
void add_entry_changes(RouteTable& routes, service::NodeService& nodes) {
  routes.add("DELETE", kEntry, RouteAccess::user, RouteBody::json, [&nodes](const Request& req, Response& res) {
    auto parent = node_param(req, 1, "parent_id");
    auto tag = tag_param(req);
    auto body = read_namespace_body<protocol::RemoveRequest>(req);
    if (!parent || !tag || !body) return reply_error(res, !parent ? parent.error() : !tag ? tag.error() : body.error());
    reply(res, nodes.remove(RequestScope::caller(), *parent, *tag, body->folders), 204);
  });
  routes.add("POST", kEntry + "/move", RouteAccess::user, RouteBody::json, [&nodes](const Request& req, Response& res) {
    auto parent = node_param(req, 1, "parent_id");
    auto tag = tag_param(req);
    auto body = read_namespace_body<protocol::MoveRequest>(req);
    if (!parent || !tag || !body) return reply_error(res, !parent ? parent.error() : !tag ? tag.error() : body.error());
    reply(res, nodes.move(RequestScope::caller(), *parent, *tag, body->request, body->folders), 200);
  });
  routes.add("POST", kNode + "/links", RouteAccess::user, RouteBody::json, [&nodes](const Request& req, Response& res) {
    auto id = node_param(req);
    auto body = read_namespace_body<protocol::LinkRequest>(req);
    if (!id || !body) return reply_error(res, !id ? id.error() : body.error());
    reply(res, nodes.link(RequestScope::caller(), *id, body->request, body->folders), 201);
  });
  routes.add("PUT", kNode + "/attributes", RouteAccess::user, RouteBody::json, [&nodes](const Request& req, Response& res) {
    auto id = node_param(req);
    auto body = read_body<protocol::SetAttributesRequest>(req);
    if (!id || !body) return reply_error(res, !id ? id.error() : body.error());
    reply(res, nodes.set_attributes(RequestScope::caller(), *id, *body), 200);
  });
}

}  // namespace

void add_node_routes(RouteTable& routes, service::Services& services) {
  auto& nodes = services.nodes;
  routes.add("POST", "/v1/nodes", RouteAccess::user, RouteBody::json, [&nodes](const Request& req, Response& res) {
    auto body = read_namespace_body<protocol::CreateNodeRequest>(req);
    if (!body) return reply_error(res, body.error());
    reply(res, nodes.create(RequestScope::caller(), body->request, body->folders), 201);
  });
  routes.add("GET", kNode, RouteAccess::link, RouteBody::none, [&nodes](const Request& req, Response& res) {
    auto id = node_param(req);
    if (!id) return reply_error(res, id.error());
    reply(res, nodes.get(RequestScope::caller(), *id), 200);
  });
  routes.add("GET", kNode + "/entries", RouteAccess::link, RouteBody::none, [&nodes](const Request& req, Response& res) {
    auto id = node_param(req, 1, "parent_id");
    auto after = after_query(req);
    auto limit = number_query(req, "limit", protocol::kMaxEntryPage);
    if (!id || !after || !limit) return reply_error(res, !id ? id.error() : !after ? after.error() : limit.error());
    auto at = number_query(req, "at", UINT64_MAX >> 11);
    if (!at) return reply_error(res, at.error());
    const std::size_t wanted = limit->value_or(protocol::kDefaultEntryPage);
    const std::size_t page = wanted == 0 ? protocol::kDefaultEntryPage : wanted;
    if (*at) {
      return reply(res, nodes.list_at(RequestScope::caller(), *id, static_cast<std::int64_t>(**at), *after, page), 200);
    }
    reply(res, nodes.list(RequestScope::caller(), *id, *after, page), 200);
  });
  routes.add("GET", kEntry, RouteAccess::link, RouteBody::none, [&nodes](const Request& req, Response& res) {
    auto parent = node_param(req, 1, "parent_id");
    auto tag = tag_param(req);
    if (!parent || !tag) return reply_error(res, !parent ? parent.error() : tag.error());
    reply(res, nodes.get_entry(RequestScope::caller(), *parent, *tag), 200);
  });
  add_entry_changes(routes, nodes);
}

}  // namespace coffer::server::http
