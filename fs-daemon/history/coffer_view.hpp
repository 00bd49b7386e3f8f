#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "history/history.hpp"
#include "vfs/vfs.hpp"

namespace coffer::history {

// The name reserved at the mount's root.
inline constexpr const char* kViewName = ".coffer";
// The view's inode numbers start here, far above any the Vfs hands out.
inline constexpr std::uint64_t kViewInoBase = std::uint64_t{1} << 48;

struct ViewEntry {
  std::uint64_t ino = 0;
  struct stat attr {};
};

// `MOUNTPOINT/.coffer`, read-only (docs/client.md "The .coffer view"): `versions/PATH/` holds
// one file per version of the file at PATH, named by its time (history_names.hpp);
// `trash/` the trash, trashed folders browsable, a name several items share numbered. Listings
// are asked of the server at each opendir (and at a lookup that has none yet); reads stream
// through the chunk reader as a normal file's do. Every change is Errc::read_only.
// Thread-safe; mutex_ is taken after no other lock and never held across a server request.
class CofferView {
 public:
  CofferView(History& history, vfs::Vfs& vfs);

  static bool owns(std::uint64_t ino) { return ino >= kViewInoBase; }

  // `.coffer` itself, looked up in the mount's root.
  ViewEntry lookup_root();
  Result<ViewEntry> lookup(std::uint64_t parent, const std::string& name);
  void forget(std::uint64_t ino, std::uint64_t count);
  Result<struct stat> getattr(std::uint64_t ino);

  Result<std::uint64_t> opendir(std::uint64_t ino);
  Status readdir(std::uint64_t fh, std::uint64_t offset, const vfs::DirEntrySink& add);
  void releasedir(std::uint64_t fh);

  // Errc::read_only for any open that may write.
  Result<std::uint64_t> open(std::uint64_t ino, int flags);
  Result<std::size_t> read(std::uint64_t fh, std::uint64_t offset, std::span<std::uint8_t> out);
  void release(std::uint64_t fh);

 private:
  enum class Kind { root, versions_folder, file_versions, version, trash_folder, trash_file };
  // One node of the view. `path` is a cloud path (versions); `node_id`, `key` and `version`
  // name content to read (a version, a trashed file's last version); `trash_id` a trashed
  // folder ("" for the trash's top).
  struct ViewNode {
    Kind kind = Kind::root;
    std::string path;
    std::string node_id;
    std::optional<crypto::FernetKey> key;
    std::uint64_t version = 0;
    std::uint64_t size = 0;
    std::int64_t time = 0;
    std::uint32_t mode = 0;
    std::uint64_t lookups = 0;
  };
  struct Child {
    std::string name;
    ViewNode node;
  };
  struct OpenFile {
    std::shared_ptr<vfs::FileContent> content;
  };

  Result<std::vector<Child>> list(const ViewNode& folder);
  Result<std::vector<Child>> list_versions_folder(const ViewNode& folder);
  Result<std::vector<Child>> list_file_versions(const ViewNode& folder);
  Result<std::vector<Child>> list_trash(const std::string& folder_id);
  Result<ViewNode> node_of(std::uint64_t ino) const;
  std::uint64_t ino_for(const ViewNode& node);
  struct stat stat_of(std::uint64_t ino, const ViewNode& node) const;
  static std::string key_of(const ViewNode& node);

  History& history_;
  vfs::Vfs& vfs_;
  const std::int64_t mounted_at_;
  mutable std::mutex mutex_;  // guards everything below
  std::unordered_map<std::uint64_t, ViewNode> nodes_;
  std::unordered_map<std::string, std::uint64_t> inos_;  // by key_of
  std::uint64_t next_ino_ = kViewInoBase;
  std::unordered_map<std::uint64_t, std::vector<Child>> dirs_;  // open folder handles
  std::unordered_map<std::uint64_t, OpenFile> files_;
  std::uint64_t next_handle_ = 1;
};

}  // namespace coffer::history
