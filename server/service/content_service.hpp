#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "protocol/content.hpp"
#include "server/service/caller.hpp"
#include "server/service/context.hpp"
#include "server/service/outcome.hpp"

namespace coffer::server::service {

// Blobs, versions and usage (docs/api.md, "Content").
class ContentService {
 public:
  explicit ContentService(Context& context) : context_(context) {}

  // PUT /v1/blobs/{id} in three steps, so the HTTP layer can stream the body in between:
  // start_upload checks the id, the declared size and the quota before any byte is read.
  Outcome<std::unique_ptr<storage::BlobWriter>> start_upload(const Caller& caller, const std::string& blob_id,
                                                             std::optional<std::uint64_t> declared_size);
  struct Stored {
    protocol::BlobStored blob;
    bool created = false;  // false when the server had the blob already
  };
  // Verifies and makes the blob durable, then records it and charges the caller's quota.
  Outcome<Stored> finish_upload(const Caller& caller, const std::string& blob_id, storage::BlobWriter& writer);

  // A blob the caller may read: one they hold, or one a version of a node they may read lists.
  Outcome<std::shared_ptr<storage::BlobReader>> open_blob(const Caller& caller, const std::string& blob_id);

  Outcome<protocol::CommitResponse> commit(const Caller& caller, const std::string& node_id,
                                           const protocol::CommitRequest& request);
  Outcome<protocol::VersionList> versions(const Caller& caller, const std::string& node_id);
  // `version` none: the current one.
  Outcome<protocol::VersionDetail> version(const Caller& caller, const std::string& node_id,
                                           std::optional<std::uint64_t> version);
  Outcome<protocol::Usage> usage(const Caller& caller);

  Outcome<protocol::CommitResponse> commit_in(storage::Transaction& txn, const Caller& caller, const std::string& node_id,
                                              const protocol::CommitRequest& request);
  // Records a durable blob and charges it to the caller (Errc::quota_exceeded when it would
  // pass the quota); true when the blob row is new.
  Result<bool> hold_in(storage::Transaction& txn, const Caller& caller, const std::string& blob_id, std::uint64_t size);

 private:
  Context& context_;
};

}  // namespace coffer::server::service
