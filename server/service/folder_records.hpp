#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/folders.hpp"
#include "server/service/caller.hpp"
#include "server/service/outcome.hpp"
#include "server/storage/metadata_store.hpp"

namespace coffer::server::service {

// The sealed folder records that travel with every change to a folder's entries (docs/api.md,
// "Folder records"). The server cannot open them; it keeps their revisions in order: every
// folder whose set of entries a request changes gets exactly one new record, sealed on the
// revision the server holds, so the client that sealed it committed to the exact set the
// request leaves. Two clients changing one folder at once: the second gets 409 and re-seals.
//
// Use inside the request's transaction: check_bases() before the request's ops, apply() after.
class FolderRecords {
 public:
  FolderRecords(storage::Transaction& txn, const Caller& caller, const std::vector<protocol::FolderUpdate>& updates)
      : txn_(txn), caller_(caller), updates_(updates) {}

  // Each named folder that exists must be a folder the caller may write, at `base_revision`
  // (409 with "folder_id" and "current_revision" otherwise); one that does not exist yet must
  // have base 0 (the request is to create it). Also notes where the change feed stands.
  Outcome<Done> check_bases();
  // The folders whose entries changed since check_bases() (from the change feed) and the
  // folders created must be exactly the updated ones (400 naming the first difference); then
  // their records are stored.
  Outcome<Done> apply();

 private:
  Result<std::vector<std::string>> changed_folders();

  storage::Transaction& txn_;
  const Caller& caller_;
  const std::vector<protocol::FolderUpdate>& updates_;
  std::uint64_t start_cursor_ = 0;
};

}  // namespace coffer::server::service
