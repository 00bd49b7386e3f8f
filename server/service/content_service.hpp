#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "protocol/content.hpp"
#include "server/service/caller.hpp"
#include "server/service/context.hpp"
#include "server/service/outcome.hpp"
#include "server/service/quota.hpp"

namespace coffer::server::service {

// Blobs, versions and usage (docs/api.md, "Content").
class ContentService {
 public:
  explicit ContentService(Context& context) : context_(context) {}

  // PUT /v1/blobs/{id} in three steps, so the HTTP layer can stream the body in between:
  // start_upload checks the id and the declared size, and reserves the declared size against the
  // quota (a blob the caller holds already costs nothing) before any byte is read. The writer it
  // returns reserves more as bytes beyond the declared size arrive (1 MiB at a time), and releases
  // what it reserved when it is destroyed: keep it until finish_upload has returned.
  Outcome<std::unique_ptr<storage::BlobWriter>> start_upload(const Caller& caller, const std::string& blob_id,
                                                             std::optional<std::uint64_t> declared_size);
  struct Stored {
    protocol::BlobStored blob;
    bool created = false;  // this copy was published: a new blob, or one whose file a crash lost
  };
  // Verifies the blob and makes it durable, then, in one transaction, records it, charges the
  // caller (Errc::quota_exceeded when it would pass the quota) and publishes it. A refused blob
  // leaves nothing behind; a blob another user already stored stays as it was.
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
  // Bytes reserved by the caller's uploads in progress (for tests and diagnostics).
  std::uint64_t reserved(const Caller& caller) const { return reservations_.reserved(caller.user_id); }

  Outcome<protocol::CommitResponse> commit_in(storage::Transaction& txn, const Caller& caller, const std::string& node_id,
                                              const protocol::CommitRequest& request);
  // Records a durable, not yet published blob and charges it to the caller (Errc::quota_exceeded,
  // with the numbers, when it would pass the quota); true when the caller must publish its copy
  // before the transaction commits: the blob row is new, or its file was lost (a crash after the
  // row committed and before the publishing was synced: storage/blob_store.hpp).
  Outcome<bool> hold_in(storage::Transaction& txn, const Caller& caller, const std::string& blob_id, std::uint64_t size);

 private:
  Outcome<protocol::CommitResponse> add_version(storage::Transaction& txn, const Caller& caller,
                                                const std::string& node_id, const protocol::CommitRequest& request);

  Context& context_;
  QuotaReservations reservations_;
};

}  // namespace coffer::server::service
