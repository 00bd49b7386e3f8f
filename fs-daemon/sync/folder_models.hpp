#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "cache/version_guard.hpp"
#include "crypto/fernet.hpp"
#include "crypto/folder_record.hpp"
#include "remote/remote_api.hpp"

namespace coffer::sync {

// What the upload sender knows of folders' entry sets on the server: per folder the revision,
// the commitment of its sealed record and the node each name tag points at. A model is loaded
// and verified against the folder's sealed record on first use (sync/folder_listing.hpp),
// advanced as the sender's own requests apply, and forgotten when one fails, so the next use
// loads it again. Used by the sender's one thread only.
class FolderModels {
 public:
  struct Model {
    std::uint64_t revision = 0;
    crypto::FolderCommitment commitment;
    std::unordered_map<std::string, std::string> nodes;  // name tag -> node id
  };

  FolderModels(remote::RemoteApi& remote, cache::VersionGuard& guard) : remote_(remote), guard_(guard) {}

  // The folder's model, loaded when not known. Errc::integrity when the server's listing does
  // not match the folder's record; a transient error when the server cannot be reached.
  Result<Model*> get(const std::string& folder_id, const crypto::FernetKey& folder_key);
  // A folder the sender is about to create: no entries, revision 0.
  Model& create(const std::string& folder_id);
  void forget(const std::string& folder_id) { models_.erase(folder_id); }
  void forget_all() { models_.clear(); }

 private:
  remote::RemoteApi& remote_;
  cache::VersionGuard& guard_;
  std::unordered_map<std::string, Model> models_;
};

}  // namespace coffer::sync
