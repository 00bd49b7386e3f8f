#include "protocol/batch.hpp"
#include "protocol/limits.hpp"
#include "server/http/replies.hpp"
#include "server/http/routes.hpp"
#include "server/http/status_map.hpp"

namespace coffer::server::http {
namespace {


protocol::BatchResult batch_result(const service::BatchOpResult& result) {
  if (result.error) {
    protocol::ErrorBody body{error_code(result.error->code), result.error->message, result.details};
    return protocol::BatchResult{http_status(result.error->code), protocol::Json(body)};
  }
  using Success = service::BatchOpResult::Success;
  const int status = result.success == Success::created ? 201 : result.success == Success::no_content ? 204 : 200;
  return protocol::BatchResult{status, result.body};
}

void run_batch(service::Services& services, const Request& req, Response& res) {
  auto json = parse_body(req);
  if (!json) return reply_error(res, json.error());
  auto batch = protocol::ParsedBatch::parse(std::move(*json));
  if (!batch) return reply_error(res, batch.error());
  auto results = services.batch.run(RequestScope::caller(), batch->ops, batch->folders);
  if (!results) return reply_error(res, results.error(), results.details());
  protocol::BatchResponse response;
  for (const auto& result : *results) response.results.push_back(batch_result(result));
  reply_json(res, 200, protocol::Json(response));
}

// cursor: a number, or "latest" for the current end of the feed.
Result<std::optional<std::uint64_t>> cursor_query(const Request& req) {
  if (req.get_param_value("cursor") == "latest") return std::optional<std::uint64_t>();
  auto cursor = number_query(req, "cursor", UINT64_MAX >> 11);
  if (!cursor) return cursor.error();
  return std::optional<std::uint64_t>(cursor->value_or(0));
}

}  // namespace

void add_feed_routes(RouteTable& routes, service::Services& services) {
  routes.add("POST", "/v1/batch", RouteAccess::user, RouteBody::batch,
             [&services](const Request& req, Response& res) { run_batch(services, req, res); });
  routes.add("GET", "/v1/changes", RouteAccess::user, RouteBody::none, [&services](const Request& req, Response& res) {
    auto cursor = cursor_query(req);
    auto timeout = number_query(req, "timeout", protocol::kMaxChangeWaitSeconds);
    if (!cursor || !timeout) return reply_error(res, !cursor ? cursor.error() : timeout.error());
    const std::chrono::seconds wait(timeout->value_or(0));
    reply(res, services.changes.changes(RequestScope::caller(), *cursor, wait), 200);
  });
  routes.add("GET", "/v1/usage", RouteAccess::user, RouteBody::none, [&services](const Request&, Response& res) {
    reply(res, services.content.usage(RequestScope::caller()), 200);
  });
}

}  // namespace coffer::server::http
