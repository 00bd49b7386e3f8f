#pragma once

#include <span>
#include <string_view>

namespace coffer::server::web {

// One file of web/ built into cofferd (embed_web.cmake writes the table at build time).
struct EmbeddedAsset {
  std::string_view path;  // relative to web/, e.g. "js/app.js"
  std::string_view etag;  // a strong ETag with its quotes: "\"<32 hex>\""
  std::string_view bytes;
};

// Every allow-listed file of web/ at build time, ordered by path.
std::span<const EmbeddedAsset> embedded_web_assets();

}  // namespace coffer::server::web
