#include <algorithm>
#include <memory>

#include "protocol/content.hpp"
#include "protocol/formats.hpp"
#include "server/http/byte_range.hpp"
#include "server/http/replies.hpp"
#include "server/http/routes.hpp"

namespace coffer::server::http {
namespace {

using httplib::Request;
using httplib::Response;

const std::string kBlob = std::string("/v1/blobs/") + kParam;
const std::string kVersions = std::string("/v1/nodes/") + kParam + "/versions";

Result<std::string> node_param(const Request& req) { return hex_param(req, 1, protocol::kNodeIdLength, "node_id"); }

// "current" or a version number.
Result<std::optional<std::uint64_t>> version_param(const Request& req) {
  const std::string text = req.matches[2];
  if (text == "current") return std::optional<std::uint64_t>();
  auto number = parse_number(text, UINT64_MAX >> 11);
  if (!number) return make_error(Errc::invalid_argument, "version: expected a number or current");
  return std::optional<std::uint64_t>(*number);
}

std::optional<std::uint64_t> declared_length(const Request& req) {
  if (!req.has_header("Content-Length")) return std::nullopt;
  return req.get_header_value<std::uint64_t>("Content-Length");
}

// Streams the body into the blob store; the blob is verified and durable before the answer.
void put_blob(service::ContentService& content, const Request& req, Response& res, const httplib::ContentReader& read) {
  const std::string id = req.matches[1];
  auto writer = content.start_upload(RequestScope::caller(), id, declared_length(req));
  if (!writer) {
    reply_error(res, writer.error(), writer.details());
    return res.set_header("Connection", "close");  // the body was not read
  }
  Status failure;
  const bool complete = read([&](const char* data, std::size_t length) {
    failure = (*writer)->write(std::string_view(data, length));
    return failure.ok();
  });
  if (!failure) {
    reply_error(res, failure.error());
    return res.set_header("Connection", "close");  // the rest of the body was not read
  }
  if (!complete) return reply_error(res, make_error(Errc::invalid_argument, "the body ended early"));
  auto stored = content.finish_upload(RequestScope::caller(), id, **writer);
  const int status = stored && !stored->created ? 200 : 201;
  if (!stored) return reply_error(res, stored.error(), stored.details());
  reply_json(res, status, protocol::Json(stored->blob));
}

// Answers with the blob's bytes, or the one range the Range header asks for.
void get_blob(service::ContentService& content, const Request& req, Response& res) {
  auto reader = content.open_blob(RequestScope::caller(), req.matches[1]);
  if (!reader) return reply_error(res, reader.error(), reader.details());
  std::shared_ptr<storage::BlobReader> blob = std::move(*reader);
  const std::uint64_t size = blob->size();
  ByteRange range;
  const RangeAnswer answer = resolve_range(req.get_header_value("Range"), size, range);
  if (answer == RangeAnswer::unsatisfiable) {
    res.set_header("Content-Range", "bytes */" + std::to_string(size));
    return reply_json(res, 416, protocol::Json{{"error", "range_not_satisfiable"},
                                               {"message", "the range is outside the blob"}});
  }
  res.status = answer == RangeAnswer::partial ? 206 : 200;
  if (answer == RangeAnswer::partial) {
    res.set_header("Content-Range", "bytes " + std::to_string(range.offset) + "-" +
                                        std::to_string(range.offset + range.length - 1) + "/" + std::to_string(size));
  }
  res.set_header("Accept-Ranges", "bytes");
  // One buffer for the whole answer: httplib calls the provider once per piece it sends.
  auto buffer = std::make_shared<std::string>(std::min<std::uint64_t>(range.length, 256 * 1024), '\0');
  res.set_content_provider(range.length, "application/octet-stream",
                           [blob, range, buffer](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                             const std::span<char> piece(buffer->data(), std::min(length, buffer->size()));
                             auto got = blob->read_at(range.offset + offset, piece);
                             return got && *got > 0 && sink.write(piece.data(), *got);
                           });
}

}  // namespace

void add_content_routes(RouteTable& routes, service::Services& services) {
  auto& content = services.content;
  routes.add_streaming("PUT", kBlob, RouteAccess::user,
                       [&content](const Request& req, Response& res, const httplib::ContentReader& read) {
                         put_blob(content, req, res, read);
                       });
  routes.add("GET", kBlob, RouteAccess::user, RouteBody::none,
             [&content](const Request& req, Response& res) { get_blob(content, req, res); });
  routes.add("POST", kVersions, RouteAccess::user, RouteBody::json, [&content](const Request& req, Response& res) {
    auto id = node_param(req);
    auto body = read_body<protocol::CommitRequest>(req);
    if (!id || !body) return reply_error(res, !id ? id.error() : body.error());
    reply(res, content.commit(RequestScope::caller(), *id, *body), 201);
  });
  routes.add("GET", kVersions, RouteAccess::user, RouteBody::none, [&content](const Request& req, Response& res) {
    auto id = node_param(req);
    if (!id) return reply_error(res, id.error());
    reply(res, content.versions(RequestScope::caller(), *id), 200);
  });
  routes.add("GET", kVersions + "/" + kParam, RouteAccess::user, RouteBody::none,
             [&content](const Request& req, Response& res) {
               auto id = node_param(req);
               if (!id) return reply_error(res, id.error());
               auto number = version_param(req);
               if (!number) return reply_error(res, number.error());
               reply(res, content.version(RequestScope::caller(), *id, *number), 200);
             });
}

}  // namespace coffer::server::http
