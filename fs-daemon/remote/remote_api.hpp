#pragma once

#include <chrono>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "remote/types.hpp"
#include "util/result.hpp"

namespace coffer::remote {

// What the VFS and the upload queue need from the server: the node, entry and content routes
// of docs/api.md. Errors are typed (Errc), never HTTP statuses: Errc::conflict for a stale
// base, Errc::already_exists for a taken name or id, Errc::not_empty, Errc::quota_exceeded,
// Errc::unavailable when the server cannot be reached. Implementations are thread-safe.
class RemoteApi {
 public:
  virtual ~RemoteApi() = default;

  virtual Result<NodeInfo> get_node(const std::string& node_id) = 0;
  virtual Result<EntryPage> list_entries(const std::string& parent_id, const std::optional<std::string>& after,
                                         unsigned limit) = 0;

  // Creating, linking, moving and removing entries go through batch().
  virtual Result<NodeInfo> set_attributes(const SetAttributes& request) = 0;

  virtual Status put_blob(const std::string& blob_id, ByteView data) = 0;
  virtual Result<Bytes> get_blob(const std::string& blob_id) = 0;
  virtual Result<std::uint64_t> commit_version(const CommitVersion& request) = 0;
  // `version` empty: the current one.
  virtual Result<VersionInfo> get_version(const std::string& node_id, std::optional<std::uint64_t> version) = 0;

  // One transaction of many ops, with the new records of the folders whose entries they
  // change; one Status per op, in order. The outer Result fails when the batch as a whole did
  // not run: Errc::conflict when a folder's base revision is stale. When an op that changes
  // entries fails, nothing is applied and every other op is Errc::aborted.
  virtual Result<std::vector<Status>> batch(const std::vector<BatchOp>& ops,
                                            const std::vector<FolderUpdate>& folders) = 0;

  virtual Result<Usage> usage() = 0;

  // The change feed after `cursor`, oldest first; none: no changes, only the feed's current
  // end. Waits up to `wait` for a change when there is none yet; a stop request ends the wait
  // early (Errc::unavailable), so that an unmount does not wait for the server.
  virtual Result<ChangePage> changes(std::optional<std::uint64_t> cursor, std::chrono::seconds wait,
                                     std::stop_token stop) = 0;
};

}  // namespace coffer::remote
