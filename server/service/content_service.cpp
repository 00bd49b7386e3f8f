#include "server/service/content_service.hpp"

#include <algorithm>
#include <set>

#include "protocol/formats.hpp"
#include "server/acl/access_check.hpp"
#include "server/service/read_access.hpp"
#include "server/service/transactions.hpp"
#include "server/service/tree_ops.hpp"
#include "server/service/views.hpp"

namespace coffer::server::service {
namespace {

using storage::Access;
using storage::Transaction;

// How many referencing nodes a blob read checks before giving up (each is an access check).
constexpr std::size_t kMaxReferencesChecked = 64;

Status check_blob_id(const std::string& blob_id) {
  if (!protocol::is_hex(blob_id, protocol::kBlobIdLength)) {
    return make_error(Errc::invalid_argument, "a blob id is 64 lowercase hex characters");
  }
  return {};
}

Result<bool> blob_readable(Transaction& txn, std::int64_t user_id, const std::string& blob_id) {
  auto held = txn.content().holds_blob(user_id, blob_id);
  if (!held || *held) return held;
  auto nodes = txn.content().nodes_referencing(blob_id, kMaxReferencesChecked);
  if (!nodes) return nodes.error();
  for (const auto& node_id : *nodes) {
    auto node = txn.nodes().find(node_id);
    if (!node) return node.error();
    if (!*node) continue;
    auto access = acl::effective_access(txn, user_id, **node);
    if (!access) return access.error();
    if (*access) return true;
  }
  return false;
}

// A chunk a commit lists must be readable by the committer; the file's owner then holds it, so
// the owner is charged for what their versions list, whoever uploaded it (a grantee writing into
// a shared folder), and gc releases the uploader's own holding (docs/server.md, "Quota"). False
// when the committer may not read the chunk; Errc::quota_exceeded past the owner's quota.
Result<bool> hold_for_owner(Transaction& txn, const Caller& caller, const storage::NodeRecord& node,
                            const std::string& chunk) {
  auto owner_holds = txn.content().holds_blob(node.owner_id, chunk);
  if (!owner_holds || *owner_holds) return owner_holds;
  auto readable = blob_readable(txn, caller.user_id, chunk);
  if (!readable || !*readable) return readable;
  auto charged = txn.content().hold_blob(node.owner_id, chunk);
  if (!charged) {
    if (charged.error().code == Errc::quota_exceeded) return make_error(Errc::quota_exceeded, "over the quota of the file's owner");
    return charged.error();
  }
  return true;
}

// An upload of unknown length reserves quota this much at a time as its bytes arrive: the most a
// refused upload has read past the quota.
constexpr std::uint64_t kReserveStep = std::uint64_t{1} << 20;

QuotaReservations::ReadUsage read_usage(Context& context, std::int64_t user_id) {
  using Reading = QuotaReservations::Reading;
  return [&context, user_id]() {
    return in_read<Reading>(context, [&](Transaction& txn) -> Outcome<Reading> {
      auto user = txn.users().find_by_id(user_id);
      if (!user) return user.error();
      if (!*user) return make_error(Errc::unauthenticated, "the account no longer exists");
      const UsageView usage = usage_of(**user);
      return Reading{usage.quota, usage.used};
    });
  };
}

// A blob writer that holds quota for the bytes it takes in, reserving more as they pass what it
// holds, and gives it all back when destroyed (after the transaction that charged the blob).
class ReservedBlobWriter final : public storage::BlobWriter {
 public:
  ReservedBlobWriter(std::unique_ptr<storage::BlobWriter> inner, QuotaReservations& reservations, std::int64_t user_id,
                     std::uint64_t reserved, QuotaReservations::ReadUsage read)
      : inner_(std::move(inner)), reservations_(reservations), user_id_(user_id), reserved_(reserved),
        read_(std::move(read)) {}
  ~ReservedBlobWriter() override { reservations_.release(user_id_, reserved_); }
  ReservedBlobWriter(const ReservedBlobWriter&) = delete;
  ReservedBlobWriter& operator=(const ReservedBlobWriter&) = delete;

  Status write(std::string_view data) override {
    if (written_ + data.size() > reserved_) COFFER_TRY_STATUS(reserve(written_ + data.size() - reserved_));
    written_ += data.size();
    return inner_->write(data);
  }
  Result<std::uint64_t> finish() override { return inner_->finish(); }
  Status publish() override { return inner_->publish(); }
  Status sync_published() override { return inner_->sync_published(); }

 private:
  // A step at a time; near the quota, exactly what is needed.
  Status reserve(std::uint64_t needed) {
    for (const std::uint64_t bytes : {std::max(needed, kReserveStep), needed}) {
      auto reserved = reservations_.reserve(user_id_, bytes, read_);
      if (reserved) {
        reserved_ += bytes;
        return {};
      }
      if (reserved.error().code != Errc::quota_exceeded || bytes == needed) return reserved.error();
    }
    return {};
  }

  std::unique_ptr<storage::BlobWriter> inner_;
  QuotaReservations& reservations_;
  std::int64_t user_id_;
  std::uint64_t reserved_;
  QuotaReservations::ReadUsage read_;
  std::uint64_t written_ = 0;
};

}  // namespace

Outcome<std::unique_ptr<storage::BlobWriter>> ContentService::start_upload(const Caller& caller,
                                                                           const std::string& blob_id,
                                                                           std::optional<std::uint64_t> declared_size) {
  COFFER_TRY_STATUS(check_blob_id(blob_id));
  const std::uint64_t limit = context_.config.limits.max_blob_size;
  if (declared_size && *declared_size > limit) {
    return make_error(Errc::too_large, "a blob may be at most " + std::to_string(limit) + " bytes");
  }
  // A blob the caller holds already costs nothing: no reservation.
  auto held = in_read<bool>(context_, [&](Transaction& txn) -> Outcome<bool> {
    return txn.content().holds_blob(caller.user_id, blob_id);
  });
  if (!held) return held.error();
  std::uint64_t reserved = 0;
  auto read = read_usage(context_, caller.user_id);
  if (!*held && declared_size) {
    auto reservation = reservations_.reserve(caller.user_id, *declared_size, read);
    if (!reservation) return Outcome<std::unique_ptr<storage::BlobWriter>>(reservation.error(), reservation.details());
    reserved = *declared_size;
  }
  auto writer = context_.blobs.create(blob_id, limit);
  if (!writer) {
    reservations_.release(caller.user_id, reserved);
    return writer.error();
  }
  if (*held) return std::move(*writer);
  return std::unique_ptr<storage::BlobWriter>(
      std::make_unique<ReservedBlobWriter>(std::move(*writer), reservations_, caller.user_id, reserved, std::move(read)));
}

Outcome<bool> ContentService::hold_in(Transaction& txn, const Caller& caller, const std::string& blob_id,
                                      std::uint64_t size) {
  auto created = txn.content().insert_blob(blob_id, size, context_.clock());
  if (!created) return created.error();
  // The store charges the caller and refuses what would pass the quota.
  auto charged = txn.content().hold_blob(caller.user_id, blob_id);
  if (charged) {
    if (*created) return true;
    auto present = context_.blobs.contains(blob_id);
    if (!present) return present.error();
    return !*present;
  }
  if (charged.error().code != Errc::quota_exceeded) return charged.error();
  auto refused = quota_exceeded(txn, caller.user_id, size);
  return Outcome<bool>(refused.error(), refused.details());
}

Outcome<ContentService::Stored> ContentService::finish_upload(const Caller& caller, const std::string& blob_id,
                                                              storage::BlobWriter& writer) {
  auto size = writer.finish();
  if (!size) return size.error();
  auto stored = in_write<Stored>(context_, [&](Transaction& txn) -> Outcome<Stored> {
    auto publish = hold_in(txn, caller, blob_id, *size);
    if (!publish) return Outcome<Stored>(publish.error(), publish.details());
    // Published while the transaction that charges it is open: a refused blob is never visible,
    // and no other upload of the same bytes can commit in between (writes are serialized). A
    // blob whose file is in place already drops this copy with the writer.
    if (*publish) COFFER_TRY_STATUS(writer.publish());
    return Stored{protocol::BlobStored{blob_id, *size}, *publish};
  });
  // Durable before the answer, synced outside the write lock.
  if (stored) COFFER_TRY_STATUS(writer.sync_published());
  return stored;
}

Outcome<std::shared_ptr<storage::BlobReader>> ContentService::open_blob(const Caller& caller, const std::string& blob_id) {
  COFFER_TRY_STATUS(check_blob_id(blob_id));
  auto readable = in_read<bool>(context_, [&](Transaction& txn) -> Outcome<bool> {
    if (caller.link) return link_reads_blob(txn, *caller.link, blob_id);
    return blob_readable(txn, caller.user_id, blob_id);
  });
  if (!readable) return readable.error();
  if (!*readable) return make_error(Errc::not_found, "no such blob");
  auto reader = context_.blobs.open(blob_id);
  if (!reader) return reader.error();
  return std::shared_ptr<storage::BlobReader>(std::move(*reader));
}

Outcome<protocol::CommitResponse> ContentService::commit_in(Transaction& txn, const Caller& caller,
                                                            const std::string& node_id,
                                                            const protocol::CommitRequest& request) {
  // The store charges the manifest and the chunk list to the node's owner as it keeps them.
  return explain_quota(txn, caller.user_id, add_version(txn, caller, node_id, request));
}

Outcome<protocol::CommitResponse> ContentService::add_version(Transaction& txn, const Caller& caller,
                                                              const std::string& node_id,
                                                              const protocol::CommitRequest& request) {
  auto node = acl::check_access(txn, caller.user_id, node_id, Access::write);
  if (!node) return node.error();
  if (node->type != storage::NodeType::file) return make_error(Errc::invalid_argument, "only files have content versions");
  // Deleted meanwhile (on another device): the client keeps its edit as a new file instead of
  // committing it where nobody looks.
  if (node->trashed_at) return make_error(Errc::not_found, "the file is in the trash");
  if (node->version != request.base_version) {
    return Outcome<protocol::CommitResponse>(make_error(Errc::conflict, "base_version is not the current version"),
                                             protocol::Json{{"current_version", node->version}});
  }
  // The store charges the version exactly as it keeps it; a manifest that alone would pass the
  // owner's quota is refused before it is handed to the store at all.
  auto owner = txn.users().find_by_id(node->owner_id);
  if (!owner) return owner.error();
  if (*owner && (*owner)->quota && (*owner)->used + request.manifest.size() > *(*owner)->quota) {
    if (node->owner_id != caller.user_id) return make_error(Errc::quota_exceeded, "over the quota of the file's owner");
    auto refused = quota_exceeded(txn, node->owner_id, request.manifest.size());
    return Outcome<protocol::CommitResponse>(refused.error(), refused.details());
  }
  std::uint64_t size = 0;
  std::set<std::string> checked;
  for (const auto& chunk : request.chunks) {
    auto chunk_size = txn.content().blob_size(chunk);
    if (!chunk_size) return chunk_size.error();
    if (*chunk_size && !checked.contains(chunk)) {
      auto held = hold_for_owner(txn, caller, *node, chunk);
      if (!held) return held.error();
      if (!*held) chunk_size->reset();
    }
    if (!*chunk_size) return make_error(Errc::invalid_argument, "chunk " + chunk + " is not stored");
    checked.insert(chunk);
    size += **chunk_size;
  }
  const std::int64_t now = context_.clock();
  const storage::VersionRecord version{node_id, request.version, request.manifest, size, request.chunks.size(), now,
                                       caller.user_id, caller.device};
  COFFER_TRY_STATUS(txn.content().insert_version(version, request.chunks));
  COFFER_TRY_STATUS(txn.nodes().set_version(node_id, request.version, size));
  COFFER_TRY_STATUS(record_change(txn, caller, node->owner_id, node_id, std::nullopt, "version", now));
  return protocol::CommitResponse{request.version};
}

Outcome<protocol::CommitResponse> ContentService::commit(const Caller& caller, const std::string& node_id,
                                                         const protocol::CommitRequest& request) {
  return in_write<protocol::CommitResponse>(context_,
                                            [&](Transaction& txn) { return commit_in(txn, caller, node_id, request); });
}

Outcome<protocol::VersionList> ContentService::versions(const Caller& caller, const std::string& node_id) {
  return in_read<protocol::VersionList>(context_, [&](Transaction& txn) -> Outcome<protocol::VersionList> {
    auto node = acl::check_access(txn, caller.user_id, node_id, Access::read);
    if (!node) return node.error();
    auto versions = txn.content().list_versions(node_id);
    if (!versions) return versions.error();
    protocol::VersionList list;
    for (const auto& version : *versions) list.versions.push_back(version_summary(version));
    return list;
  });
}

Outcome<protocol::VersionDetail> ContentService::version(const Caller& caller, const std::string& node_id,
                                                         std::optional<std::uint64_t> number) {
  return in_read<protocol::VersionDetail>(context_, [&](Transaction& txn) -> Outcome<protocol::VersionDetail> {
    auto node = check_read(txn, caller, node_id);
    if (!node) return node.error();
    const std::uint64_t wanted = number.value_or(node->version);
    // A link shares what the file is now, not its history.
    if (caller.link && wanted != node->version) return make_error(Errc::not_found, "no such version");
    auto version = txn.content().find_version(node_id, wanted);
    if (!version) return version.error();
    if (!*version) return make_error(Errc::not_found, "no such version");
    auto chunks = txn.content().version_chunks(node_id, wanted);
    if (!chunks) return chunks.error();
    return protocol::VersionDetail{wanted, (*version)->manifest, std::move(*chunks), (*version)->size,
                                   (*version)->created_at};
  });
}

Outcome<protocol::Usage> ContentService::usage(const Caller& caller) {
  return in_read<protocol::Usage>(context_, [&](Transaction& txn) -> Outcome<protocol::Usage> {
    auto user = txn.users().find_by_id(caller.user_id);
    if (!user) return user.error();
    if (!*user) return make_error(Errc::unauthenticated, "the account no longer exists");
    auto split = txn.content().usage_split(caller.user_id);
    if (!split) return split.error();
    const UsageView usage = usage_of(**user);
    const std::uint64_t listed = split->current + split->versions + split->trash;
    return protocol::Usage{usage.used,      usage.quota,  split->current,
                           split->versions, split->trash, usage.used > listed ? usage.used - listed : 0};
  });
}

}  // namespace coffer::server::service
