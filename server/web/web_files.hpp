#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace coffer::server::web {

// A file of the dashboard as cofferd answers it.
struct WebFile {
  std::string_view content_type;
  std::string etag;  // strong, with its quotes
  std::string_view bytes;
  std::shared_ptr<const std::string> owned;  // holds `bytes` for a file read from disk
};

// Where the dashboard's files come from: the bundle built into cofferd, or (--web-root DIR,
// web_root) a working copy of web/ read from disk at every request, for development.
class WebFiles {
 public:
  static WebFiles embedded();
  static WebFiles from_directory(const std::filesystem::path& root);

  // The file at `relative` (a path under web/). Errc::not_found for anything not allow-listed
  // (web_paths.hpp), missing, not a regular file, or (from disk) resolving outside the root
  // through a symbolic link.
  Result<WebFile> find(std::string_view relative) const;

  bool from_disk() const { return !root_.empty(); }

 private:
  explicit WebFiles(std::filesystem::path root) : root_(std::move(root)) {}
  Result<WebFile> read_from_disk(std::string_view relative) const;

  std::filesystem::path root_;  // canonical; empty for the embedded bundle
};

}  // namespace coffer::server::web
