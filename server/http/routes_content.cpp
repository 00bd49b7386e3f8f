#include <algorithm>
#include <memory>

#include "protocol/content.hpp"
#include "protocol/formats.hpp"
#include "server/http/byte_range.hpp"
#include "server/http/replies.hpp"
#include "server/http/routes.hpp"

namespace coffer::server::http {
namespace {


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
  return parse_number(req.get_header_value("Content-Length"), UINT64_MAX);
}

// Streams the body into the blob store as it arrives; the blob is verified and durable before
// the answer.
class BlobUpload : public BodySink {
 public:
  BlobUpload(service::ContentService& content, service::Caller caller, std::string id,
             std::unique_ptr<storage::BlobWriter> writer)
      : content_(content), caller_(std::move(caller)), id_(std::move(id)), writer_(std::move(writer)) {}

  Status write(std::string_view piece) override { return writer_->write(piece); }

  void finish(Response& res) override {
    auto stored = content_.finish_upload(caller_, id_, *writer_);
    if (!stored) return reply_error(res, stored.error(), stored.details());
    reply_json(res, stored->created ? 201 : 200, protocol::Json(stored->blob));
  }

 private:
  service::ContentService& content_;
  service::Caller caller_;
  std::string id_;
  std::unique_ptr<storage::BlobWriter> writer_;
};

std::unique_ptr<BodySink> put_blob(service::ContentService& content, const Request& req, Response& res) {
  const std::string& id = req.matches[1];
  auto writer = content.start_upload(RequestScope::caller(), id, declared_length(req));
  if (!writer) {
    reply_error(res, writer.error(), writer.details());
    return nullptr;
  }
  return std::make_unique<BlobUpload>(content, RequestScope::caller(), id, std::move(*writer));
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
  res.set_content_provider(range.length, "application/octet-stream",
                           [blob, range](std::uint64_t offset, std::span<char> out) -> Result<std::size_t> {
                             const auto wanted = std::min<std::uint64_t>(out.size(), range.length - offset);
                             return blob->read_at(range.offset + offset, out.first(wanted));
                           });
}

}  // namespace

void add_content_routes(RouteTable& routes, service::Services& services) {
  auto& content = services.content;
  routes.add_streaming("PUT", kBlob, RouteAccess::user,
                       [&content](const Request& req, Response& res) { return put_blob(content, req, res); });
  routes.add("GET", kBlob, RouteAccess::link, RouteBody::none,
             [&content](const Request& req, Response& res) { get_blob(content, req, res); });
  routes.add("POST", kVersions, RouteAccess::user, RouteBody::commit, [&content](const Request& req, Response& res) {
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
  routes.add("GET", kVersions + "/" + kParam, RouteAccess::link, RouteBody::none,
             [&content](const Request& req, Response& res) {
               auto id = node_param(req);
               if (!id) return reply_error(res, id.error());
               auto number = version_param(req);
               if (!number) return reply_error(res, number.error());
               reply(res, content.version(RequestScope::caller(), *id, *number), 200);
             });
}

}  // namespace coffer::server::http
