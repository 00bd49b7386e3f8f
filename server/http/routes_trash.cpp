#include "protocol/formats.hpp"
#include "protocol/limits.hpp"
#include "protocol/trash.hpp"
#include "server/http/replies.hpp"
#include "server/http/routes.hpp"

namespace coffer::server::http {
namespace {

Result<std::string> after_query(const Request& req) {
  if (!req.has_param("after")) return std::string();
  std::string after = req.get_param_value("after");
  if (!protocol::is_hex(after, protocol::kNodeIdLength)) return make_error(Errc::invalid_argument, "after: expected a node id");
  return after;
}

// An empty body empties the whole trash, as {"older_than": null} does.
Result<protocol::EmptyTrashRequest> empty_request(const Request& req) {
  if (req.body.empty()) return protocol::EmptyTrashRequest{};
  return read_body<protocol::EmptyTrashRequest>(req);
}

}  // namespace

void add_trash_routes(RouteTable& routes, service::Services& services) {
  auto& trash = services.trash;
  routes.add("GET", "/v1/trash", RouteAccess::user, RouteBody::none, [&trash](const Request& req, Response& res) {
    auto after = after_query(req);
    auto limit = number_query(req, "limit", protocol::kMaxEntryPage);
    if (!after || !limit) return reply_error(res, !after ? after.error() : limit.error());
    const std::size_t page = limit->value_or(protocol::kDefaultEntryPage);
    reply(res, trash.list(RequestScope::caller(), *after, page == 0 ? protocol::kDefaultEntryPage : page), 200);
  });
  routes.add("DELETE", std::string("/v1/trash/") + kParam, RouteAccess::user, RouteBody::none,
             [&trash](const Request& req, Response& res) {
               auto id = hex_param(req, 1, protocol::kNodeIdLength, "node_id");
               if (!id) return reply_error(res, id.error());
               reply(res, trash.purge(RequestScope::caller(), *id), 204);
             });
  routes.add("POST", "/v1/trash/empty", RouteAccess::user, RouteBody::small, [&trash](const Request& req, Response& res) {
    auto request = empty_request(req);
    if (!request) return reply_error(res, request.error());
    std::optional<std::int64_t> older_than;
    if (request->older_than) older_than = static_cast<std::int64_t>(*request->older_than);
    reply(res, trash.empty(RequestScope::caller(), older_than), 200);
  });
}

}  // namespace coffer::server::http
