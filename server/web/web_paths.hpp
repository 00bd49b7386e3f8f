#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace coffer::server::web {

// The allow-list of what cofferd serves of web/ (docs/server.md, "The web dashboard"):
// index.html, link.html, sw.js, favicon.svg and the files under css/, js/ and vendor/ whose
// extension has a known content type. Never a hidden file, node_modules, a package or tool
// file, an empty, "." or ".." segment, a backslash or a NUL.
bool web_path_allowed(std::string_view relative);

// The Content-Type of an allow-listed path, by its extension; none for others.
std::optional<std::string_view> web_content_type(std::string_view relative);

// The file under web/ that answers a request path: "/" -> index.html, "/l/{id}" -> link.html,
// "/js/x.js" -> "js/x.js". None when the path names no allow-listed file.
std::optional<std::string> web_file_for(std::string_view request_path);

}  // namespace coffer::server::web
