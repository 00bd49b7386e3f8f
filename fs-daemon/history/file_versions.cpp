#include <algorithm>

#include "history/history.hpp"
#include "vfs/cloud_path.hpp"

// A file's versions: listed with the plaintext size each manifest names, restored as a new
// version of the same file or as a new file.
namespace coffer::history {
Result<vfs::NodeRef> History::file_at(const std::string& path) {
  auto node = services_.vfs.resolve_path(path);
  if (!node) return node;
  if (node->type != remote::NodeType::file) {
    return make_error(Errc::invalid_argument, path + " is not a file: only files have versions");
  }
  return node;
}

Result<crypto::Manifest> History::manifest(const std::string& node_id, const crypto::FernetKey& key,
                                           std::uint64_t version) {
  auto stored = services_.remote.get_version(node_id, version);
  if (!stored) return std::move(stored).error();
  auto opened = crypto::open_manifest(key, node_id, stored->manifest);
  if (!opened) return make_error(Errc::integrity, "version " + std::to_string(version) + ": " + opened.error().message);
  if (opened->version != version || stored->version != version) {
    return make_error(Errc::integrity, "version " + std::to_string(version) + ": the server sent another version's manifest");
  }
  return opened;
}

Result<std::vector<VersionEntry>> History::versions_of(const vfs::NodeRef& file) {
  auto listed = services_.history.list_versions(file.id);
  if (!listed) return std::move(listed).error();
  std::uint64_t newest = 0;
  for (const auto& summary : *listed) newest = std::max(newest, summary.version);
  std::vector<VersionEntry> versions;
  for (const auto& summary : *listed) {
    VersionEntry entry{summary.version, summary.created_at, summary.device, std::nullopt, {}, summary.version == newest};
    auto opened = manifest(file.id, file.key, summary.version);
    if (opened) {
      entry.size = opened->size;
    } else if (opened.error().code == Errc::unavailable) {
      return std::move(opened).error();
    } else {
      entry.error = opened.error().message;
    }
    versions.push_back(std::move(entry));
  }
  return versions;
}

Status History::restore(const std::string& path, std::uint64_t version) {
  auto file = file_at(path);
  if (!file) return std::move(file).error();
  auto old = manifest(file->id, file->key, version);
  if (!old) return std::move(old).error();
  return services_.vfs.restore_content(file->id, vfs::BaseContent{old->size, old->chunk_size, old->chunks});
}

Result<std::string> History::restore_to(const std::string& path, std::uint64_t version, const std::string& to_path) {
  auto file = file_at(path);
  if (!file) return std::move(file).error();
  auto old = manifest(file->id, file->key, version);
  if (!old) return std::move(old).error();
  auto [folder_path, name] = vfs::cloud_parent_and_name(to_path);
  auto folder = services_.vfs.resolve_path(folder_path);
  if (!folder) return std::move(folder).error();
  if (folder->type != remote::NodeType::folder) return make_error(Errc::not_a_directory, folder_path + " is not a folder");
  if (name.empty()) return make_error(Errc::invalid_argument, to_path + ": no name for the new file");
  const crypto::Manifest& source = *old;
  const crypto::FernetKey key = file->key;
  auto& reader = services_.vfs.content_services().reader;
  auto fill = [&](vfs::FileContent& content) -> Status {
    for (std::size_t i = 0; i < source.chunks.size(); ++i) {
      if (!source.chunks[i]) continue;  // a hole stays a hole
      std::uint64_t offset = static_cast<std::uint64_t>(i) * source.chunk_size;
      std::size_t length = static_cast<std::size_t>(std::min<std::uint64_t>(source.chunk_size, source.size - offset));
      auto plain = reader.read(key, *source.chunks[i], length);
      if (!plain) return std::move(plain).error();
      COFFER_TRY_STATUS(content.write(offset, ByteView((*plain)->data(), (*plain)->size())));
    }
    return content.truncate(source.size);
  };
  vfs::Caller owner{source.attributes.uid, source.attributes.gid};
  auto made = services_.vfs.create_file(folder->id, name, source.attributes.mode & 07777, owner, fill);
  if (!made) return std::move(made).error();
  return (folder_path == "/" ? "" : folder_path) + "/" + name;
}

}  // namespace coffer::history
