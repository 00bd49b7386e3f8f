#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cache/version_guard.hpp"
#include "crypto/manifest.hpp"
#include "remote/history_api.hpp"
#include "remote/remote_api.hpp"
#include "sync/upload_queue.hpp"
#include "vfs/vfs.hpp"

// Versions and the trash as the user sees them (docs/client.md "Versions and trash"): the one
// module that knows history, used by the control socket's requests (`coffer versions`,
// `restore`, `trash`, `ls --at`) and by the mount's `.coffer` view. Everything it shows is
// opened and verified here as the rest of the mount verifies what it shows; the server's word
// only selects what to read.
namespace coffer::history {

struct HistoryServices {
  remote::RemoteApi& remote;      // listings and manifests: network.foreground_timeout
  remote::RemoteApi& background;  // a restore from the trash: the retry policy
  remote::HistoryApi& history;    // the history routes, foreground
  vfs::Vfs& vfs;
  cache::VersionGuard& guard;
  sync::UploadQueue& queue;
  std::chrono::seconds settle_timeout{60};  // how long a restore waits for a folder's unsent changes
};

// One version of a file. `size` is the plaintext size its manifest names; a manifest that does
// not open (or names another node or version) leaves it empty and says why in `error`.
struct VersionEntry {
  std::uint64_t version = 0;
  std::int64_t created_at = 0;
  std::optional<std::string> device;
  std::optional<std::uint64_t> size;
  std::string error;
  bool current = false;
};

// One item of the trash with its name opened under the key of the folder that last held it.
// `path` is that folder's path from the cloud's root plus the name ("" with `error` when the
// folder's key was not found: its folder is neither live nor in the trash).
struct TrashEntry {
  remote::TrashItem item;
  std::optional<crypto::FernetKey> key;  // the node's own key
  crypto::Attributes attrs;              // from its attribute record
  std::optional<std::uint64_t> size;     // a file's plaintext size when its record names it
  std::string name;
  std::string path;
  std::string error;
};

// An entry of a folder as it was at some time (`coffer ls --at`).
struct PastEntry {
  std::string name;
  remote::NodeType type = remote::NodeType::file;
  std::uint64_t version = 0;
  std::optional<std::uint64_t> size;  // files: the plaintext size of that version
  crypto::Timestamp mtime;            // from the node's current record (the server keeps no older one)
  std::string error;
};

struct TrashRestore {
  std::string path;        // where the top item is now
  std::uint64_t nodes = 0;  // how many came back, descendants included
};

class History {
 public:
  explicit History(HistoryServices services) : services_(services) {}

  // file_versions.cpp
  Result<vfs::NodeRef> file_at(const std::string& path);
  Result<std::vector<VersionEntry>> versions_of(const vfs::NodeRef& file);
  // The manifest of `version`, opened under the file's key and bound to its id and that version.
  Result<crypto::Manifest> manifest(const std::string& node_id, const crypto::FernetKey& key, std::uint64_t version);
  // Version `version` comes back as a new version of the same file (Vfs::restore_content).
  Status restore(const std::string& path, std::uint64_t version);
  // ... or as a new file at `to_path` (a cloud path), its bytes read through the chunk reader
  // and written through the VFS under a new key; the new file's path.
  Result<std::string> restore_to(const std::string& path, std::uint64_t version, const std::string& to_path);

  // trash_listing.cpp: every item of the trash, oldest node id first.
  Result<std::vector<TrashEntry>> trash();
  Result<std::uint64_t> empty_trash(std::optional<std::int64_t> older_than);

  // trash_restore.cpp: an item (by node id, or its path as `trash()` shows it: the most
  // recently trashed of that path) and, for a folder, every trashed descendant, linked back in
  // one batch; into `to` (a cloud path: an existing folder, or a new name in one) or where it
  // was. A taken name gets " (restored)", " (restored 2)", ...
  Result<TrashRestore> restore_from_trash(const std::string& what, const std::optional<std::string>& to);

  // folder_at.cpp: the folder at `path` as it was at `at`, walked from the root through the
  // server's entry history.
  Result<std::vector<PastEntry>> list_at(const std::string& path, std::int64_t at);

 private:
  HistoryServices services_;
};

}  // namespace coffer::history
