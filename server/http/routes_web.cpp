#include "server/http/replies.hpp"
#include "server/http/routes.hpp"
#include "server/web/web_paths.hpp"

// The web dashboard (docs/server.md, "The web dashboard"): `/` is index.html, `/l/{id}` is
// link.html (the link's key stays in the fragment, which browsers never send), and the
// allow-listed files of web/ by their path. Strong ETags; If-None-Match answers 304.

namespace coffer::server::http {
namespace {

// If-None-Match holds "*" or a list of ETags (weak ones compare by their opaque part).
bool etag_matches(std::string_view header, std::string_view etag) {
  std::size_t start = 0;
  while (start < header.size()) {
    auto end = header.find(',', start);
    if (end == std::string_view::npos) end = header.size();
    auto item = header.substr(start, end - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.substr(0, 2) == "W/") item.remove_prefix(2);
    if (item == "*" || item == etag) return true;
    start = end + 1;
  }
  return false;
}

}  // namespace

void add_web_routes(RouteTable& routes, web::WebFiles files) {
  routes.set_fallback([files = std::move(files)](const Request& req, Response& res) {
    const auto relative = web::web_file_for(req.path);
    if (!relative) return reply_error(res, make_error(Errc::not_found, "no such route"));
    auto file = files.find(*relative);
    if (!file) return reply_error(res, file.error());
    res.set_header("ETag", file->etag);
    res.set_header("Cache-Control", "no-cache");
    if (etag_matches(req.get_header_value("If-None-Match"), file->etag)) {
      res.status = 304;
      return;
    }
    res.status = 200;
    res.set_content(std::string(file->bytes), std::string(file->content_type));
  });
}

}  // namespace coffer::server::http
