#include "server/web/web_files.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "server/web/web_bundle.hpp"
#include "server/web/web_paths.hpp"

namespace coffer::server::web {
namespace {

constexpr std::uintmax_t kMaxDiskFile = 64 << 20;

Error no_such_file() { return make_error(Errc::not_found, "no such file"); }

}  // namespace

WebFiles WebFiles::embedded() { return WebFiles(std::filesystem::path()); }

WebFiles WebFiles::from_directory(const std::filesystem::path& root) {
  std::error_code ec;
  auto canonical = std::filesystem::canonical(root, ec);
  return WebFiles(ec ? std::filesystem::absolute(root) : canonical);
}

Result<WebFile> WebFiles::find(std::string_view relative) const {
  const auto type = web_content_type(relative);
  if (!web_path_allowed(relative) || !type) return no_such_file();
  if (from_disk()) return read_from_disk(relative);
  const auto assets = embedded_web_assets();
  const auto found = std::lower_bound(assets.begin(), assets.end(), relative,
                                      [](const EmbeddedAsset& asset, std::string_view path) { return asset.path < path; });
  if (found == assets.end() || found->path != relative) return no_such_file();
  return WebFile{*type, std::string(found->etag), found->bytes, nullptr};
}

// The resolved path must stay below the root: a symbolic link that leads out of it, or to
// something that is not a regular file, is refused like a missing file.
Result<WebFile> WebFiles::read_from_disk(std::string_view relative) const {
  std::error_code ec;
  const auto resolved = std::filesystem::canonical(root_ / std::filesystem::path(relative), ec);
  if (ec) return no_such_file();
  const auto [root_end, inside] = std::mismatch(root_.begin(), root_.end(), resolved.begin(), resolved.end());
  if (root_end != root_.end() || inside == resolved.end()) return no_such_file();
  if (!std::filesystem::is_regular_file(resolved, ec) || ec) return no_such_file();
  const auto size = std::filesystem::file_size(resolved, ec);
  if (ec || size > kMaxDiskFile) return no_such_file();
  std::ifstream in(resolved, std::ios::binary);
  if (!in) return no_such_file();
  std::ostringstream text;
  text << in.rdbuf();
  auto owned = std::make_shared<const std::string>(std::move(text).str());
  const auto digest = crypto::sha256(as_bytes(*owned));
  const std::string etag = "\"" + crypto::hex_encode(ByteView(digest.data(), 16)) + "\"";
  return WebFile{*web_content_type(relative), etag, std::string_view(*owned), owned};
}

}  // namespace coffer::server::web
