#include "server/service/content_service.hpp"

#include <set>

#include "protocol/formats.hpp"
#include "server/acl/access_check.hpp"
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

Error over_quota(std::uint64_t quota) {
  return make_error(Errc::quota_exceeded, "the upload would pass the quota of " + std::to_string(quota) + " bytes");
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

}  // namespace

Outcome<std::unique_ptr<storage::BlobWriter>> ContentService::start_upload(const Caller& caller,
                                                                           const std::string& blob_id,
                                                                           std::optional<std::uint64_t> declared_size) {
  COFFER_TRY_STATUS(check_blob_id(blob_id));
  const std::uint64_t limit = context_.config.limits.max_blob_size;
  if (declared_size && *declared_size > limit) {
    return make_error(Errc::too_large, "a blob may be at most " + std::to_string(limit) + " bytes");
  }
  auto quota_ok = in_read<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
    auto user = txn.users().find_by_id(caller.user_id);
    if (!user) return user.error();
    if (!*user || !(*user)->quota || !declared_size) return Done{};
    auto held = txn.content().holds_blob(caller.user_id, blob_id);
    if (!held) return held.error();
    if (!*held && (*user)->used + *declared_size > *(*user)->quota) return over_quota(*(*user)->quota);
    return Done{};
  });
  if (!quota_ok) return quota_ok.error();
  return context_.blobs.create(blob_id, limit);
}

Result<bool> ContentService::hold_in(Transaction& txn, const Caller& caller, const std::string& blob_id,
                                     std::uint64_t size) {
  auto known = txn.content().blob_size(blob_id);
  if (!known) return known.error();
  if (!*known) COFFER_TRY_STATUS(txn.content().insert_blob(blob_id, size, context_.clock()));
  auto user = txn.users().find_by_id(caller.user_id);
  if (!user) return user.error();
  if (!*user) return make_error(Errc::unauthenticated, "the account no longer exists");
  auto held = txn.content().holds_blob(caller.user_id, blob_id);
  if (!held) return held.error();
  if (!*held && (*user)->quota && (*user)->used + size > *(*user)->quota) return over_quota(*(*user)->quota);
  auto charged = txn.content().hold_blob(caller.user_id, blob_id);
  if (!charged) return charged.error();
  return !*known;
}

Outcome<ContentService::Stored> ContentService::finish_upload(const Caller& caller, const std::string& blob_id,
                                                              storage::BlobWriter& writer) {
  auto size = writer.commit();
  if (!size) return size.error();
  return in_write<Stored>(context_, [&](Transaction& txn) -> Outcome<Stored> {
    auto created = hold_in(txn, caller, blob_id, *size);
    if (!created) return created.error();
    return Stored{protocol::BlobStored{blob_id, *size}, *created};
  });
}

Outcome<std::shared_ptr<storage::BlobReader>> ContentService::open_blob(const Caller& caller, const std::string& blob_id) {
  COFFER_TRY_STATUS(check_blob_id(blob_id));
  auto readable = in_read<bool>(context_, [&](Transaction& txn) -> Outcome<bool> {
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
  auto node = acl::check_access(txn, caller.user_id, node_id, Access::write);
  if (!node) return node.error();
  if (node->type != storage::NodeType::file) return make_error(Errc::invalid_argument, "only files have content versions");
  if (node->version != request.base_version) {
    return Outcome<protocol::CommitResponse>(make_error(Errc::conflict, "base_version is not the current version"),
                                             protocol::Json{{"current_version", node->version}});
  }
  std::uint64_t size = 0;
  std::set<std::string> checked;
  for (const auto& chunk : request.chunks) {
    auto chunk_size = txn.content().blob_size(chunk);
    if (!chunk_size) return chunk_size.error();
    if (*chunk_size && !checked.contains(chunk)) {
      auto readable = blob_readable(txn, caller.user_id, chunk);
      if (!readable) return readable.error();
      if (!*readable) chunk_size->reset();
    }
    if (!*chunk_size) return make_error(Errc::invalid_argument, "chunk " + chunk + " is not stored");
    checked.insert(chunk);
    size += **chunk_size;
  }
  const std::int64_t now = context_.clock();
  const storage::VersionRecord version{node_id, request.version, request.manifest, size, request.chunks.size(), now,
                                       caller.user_id};
  COFFER_TRY_STATUS(txn.content().insert_version(version, request.chunks));
  COFFER_TRY_STATUS(txn.nodes().set_version(node_id, request.version, size));
  COFFER_TRY_STATUS(record_change(txn, node->owner_id, node_id, std::nullopt, "version", now));
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
    auto node = acl::check_access(txn, caller.user_id, node_id, Access::read);
    if (!node) return node.error();
    const std::uint64_t wanted = number.value_or(node->version);
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
    return protocol::Usage{(*user)->used, (*user)->quota};
  });
}

}  // namespace coffer::server::service
