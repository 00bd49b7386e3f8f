#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "remote/types.hpp"
#include "util/result.hpp"

namespace coffer::remote {

// One committed version of a file as the server lists it (GET /v1/nodes/ID/versions).
struct VersionSummary {
  std::uint64_t version = 0;
  std::uint64_t stored_size = 0;  // ciphertext bytes of its chunks
  std::int64_t created_at = 0;    // Unix seconds
  std::optional<std::string> device;  // the device that committed it; none before the server kept it
};

// A node in the trash (GET /v1/trash): the entry that last held it, sealed as a live entry is,
// so its name opens under that folder's key.
struct TrashItem {
  NodeInfo node;
  std::int64_t trashed_at = 0;
  SealedName entry;
  bool parent_in_trash = false;
};

struct TrashPage {
  std::vector<TrashItem> items;
  std::optional<std::string> next;  // node id to continue after
};

// The server's history routes (docs/api.md: versions, trash, entries at a time). Kept apart
// from RemoteApi: only the history module and its tests need them. Thread-safe.
class HistoryApi {
 public:
  virtual ~HistoryApi() = default;

  // Oldest first; versions pruned by retention are gone from the list.
  virtual Result<std::vector<VersionSummary>> list_versions(const std::string& node_id) = 0;
  virtual Result<TrashPage> list_trash(const std::optional<std::string>& after, unsigned limit) = 0;
  // Purges what was trashed before `older_than` (everything when none); the count purged.
  virtual Result<std::uint64_t> empty_trash(std::optional<std::int64_t> older_than) = 0;
  // The folder's entries as they were at `at` (Unix seconds); `folder` of the page is empty:
  // no commitment covers the past.
  virtual Result<EntryPage> list_entries_at(const std::string& folder_id, std::int64_t at,
                                            const std::optional<std::string>& after, unsigned limit) = 0;
};

}  // namespace coffer::remote
