#include "server/web/web_paths.hpp"

#include <array>
#include <utility>

namespace coffer::server::web {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 11> kTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".json", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
}};

constexpr std::array<std::string_view, 4> kTopFiles{"index.html", "link.html", "sw.js", "favicon.svg"};
constexpr std::array<std::string_view, 3> kFolders{"css/", "js/", "vendor/"};

bool segments_clean(std::string_view path) {
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto end = path.find('/', start);
    const auto segment = path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (segment.empty() || segment.front() == '.' || segment == "node_modules") return false;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  for (const char c : path) {
    if (c == '\\' || c == '\0' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

std::optional<std::string_view> web_content_type(std::string_view relative) {
  const auto slash = relative.rfind('/');
  const auto dot = relative.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return std::nullopt;
  const auto extension = relative.substr(dot);
  for (const auto& [known, type] : kTypes) {
    if (extension == known) return type;
  }
  return std::nullopt;
}

bool web_path_allowed(std::string_view relative) {
  if (relative.empty() || relative.size() > 1024 || !segments_clean(relative) || !web_content_type(relative)) {
    return false;
  }
  for (auto top : kTopFiles) {
    if (relative == top) return true;
  }
  for (auto folder : kFolders) {
    if (relative.size() > folder.size() && relative.substr(0, folder.size()) == folder) return true;
  }
  return false;
}

std::optional<std::string> web_file_for(std::string_view request_path) {
  if (request_path == "/" || request_path == "/index.html") return std::string("index.html");
  constexpr std::string_view kLinkPage = "/l/";
  if (request_path.substr(0, kLinkPage.size()) == kLinkPage) {
    const auto id = request_path.substr(kLinkPage.size());
    if (id.empty() || id.find('/') != std::string_view::npos) return std::nullopt;
    return std::string("link.html");
  }
  if (request_path.empty() || request_path.front() != '/') return std::nullopt;
  const auto relative = request_path.substr(1);
  if (!web_path_allowed(relative)) return std::nullopt;
  return std::string(relative);
}

}  // namespace coffer::server::web
