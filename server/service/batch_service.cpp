#include "server/service/batch_service.hpp"

#include <set>
#include <unordered_set>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "server/service/folder_records.hpp"
#include "server/service/quota.hpp"
#include "server/service/transactions.hpp"

namespace coffer::server::service {
namespace {

using protocol::BatchOp;
using Success = BatchOpResult::Success;

BatchOpResult failed(Error error, protocol::Json details = protocol::Json::object()) {
  BatchOpResult result;
  result.error = std::move(error);
  result.details = std::move(details);
  return result;
}

template <class T>
BatchOpResult from_outcome(Outcome<T> outcome, Success success) {
  if (!outcome) return failed(outcome.error(), outcome.details());
  BatchOpResult result;
  result.success = success;
  if constexpr (!std::is_same_v<T, Done>) result.body = protocol::Json(outcome.value());
  return result;
}

// Ops that change a folder's entries; a parse failure counts, since it may have been one.
bool changes_entries(const Result<BatchOp>& op) {
  if (!op) return true;
  return !std::holds_alternative<protocol::BatchCommit>(*op) && !std::holds_alternative<protocol::BatchSetAttributes>(*op);
}

// Nothing was applied: every op that had not failed on its own says so.
void abort_others(std::vector<BatchOpResult>& results, std::size_t failed_op) {
  const std::string why = "not applied: op " + std::to_string(failed_op) + " of the batch failed";
  for (auto& result : results) {
    if (!result.error) result = failed(make_error(Errc::aborted, why));
  }
}

std::string_view as_text(const Bytes& bytes) { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }

}  // namespace

std::vector<std::vector<BatchService::DecodedBlob>> BatchService::decode_blobs(
    const std::vector<Result<BatchOp>>& ops, std::vector<BatchOpResult>& results) {
  std::vector<std::vector<DecodedBlob>> decoded(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (!ops[i]) continue;
    const auto* commit = std::get_if<protocol::BatchCommit>(&*ops[i]);
    if (commit == nullptr) continue;
    for (const auto& blob : commit->blobs) {
      auto bytes = crypto::base64url_decode(blob.data);
      if (!bytes) {
        results[i] = failed(make_error(Errc::invalid_argument, "blob " + blob.id + ": data is not base64url"));
      } else if (bytes->size() > context_.config.limits.max_blob_size) {
        results[i] = failed(make_error(Errc::too_large, "blob " + blob.id + " is larger than the limit"));
      } else if (const auto digest = crypto::sha256(*bytes); crypto::hex_encode(digest) != blob.id) {
        results[i] = failed(make_error(Errc::integrity, "blob " + blob.id + ": data does not hash to the id"));
      } else {
        decoded[i].push_back({blob.id, std::move(*bytes)});
        continue;
      }
      decoded[i].clear();
      break;
    }
  }
  return decoded;
}

BatchOpResult BatchService::apply(storage::Transaction& txn, const Caller& caller, const BatchOp& op,
                                  const std::vector<DecodedBlob>& blobs, std::vector<std::string>& new_blobs) {
  // The store refuses what would pass a quota; the answer names the caller's numbers.
  const auto explained = [&](auto outcome) { return explain_quota(txn, caller.user_id, std::move(outcome)); };
  if (const auto* create = std::get_if<protocol::CreateNodeRequest>(&op)) {
    return from_outcome(explained(nodes_.create_in(txn, caller, *create)), Success::created);
  }
  if (const auto* set = std::get_if<protocol::BatchSetAttributes>(&op)) {
    return from_outcome(explained(nodes_.set_attributes_in(txn, caller, set->node_id, set->request)), Success::ok);
  }
  if (const auto* remove = std::get_if<protocol::BatchRemove>(&op)) {
    return from_outcome(explained(nodes_.remove_in(txn, caller, remove->parent_id, remove->name_tag, remove->expected_version)),
                        Success::no_content);
  }
  if (const auto* move = std::get_if<protocol::BatchMove>(&op)) {
    return from_outcome(
        explained(nodes_.move_in(txn, caller, move->from_parent_id, move->from_name_tag, move->request)), Success::ok);
  }
  if (const auto* link = std::get_if<protocol::BatchLink>(&op)) {
    return from_outcome(explained(nodes_.link_in(txn, caller, link->node_id, link->request)), Success::created);
  }
  const auto& commit = std::get<protocol::BatchCommit>(op);
  for (const auto& blob : blobs) {
    auto held = content_.hold_in(txn, caller, blob.id, blob.bytes.size());
    if (!held) return failed(held.error(), held.details());
    if (*held) new_blobs.push_back(blob.id);
  }
  return from_outcome(content_.commit_in(txn, caller, commit.node_id, commit.request), Success::created);
}

Result<bool> BatchService::apply_all(storage::Transaction& txn, const Caller& caller, const std::vector<Result<BatchOp>>& ops,
                                     const std::vector<std::vector<DecodedBlob>>& blobs,
                                     std::vector<BatchOpResult>& results, std::set<std::string>& publish) {
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (!results[i].error) {
      COFFER_TRY_STATUS(txn.begin_savepoint());
      std::vector<std::string> new_blobs;
      results[i] = apply(txn, caller, *ops[i], blobs[i], new_blobs);
      COFFER_TRY_STATUS(results[i].error ? txn.rollback_savepoint() : txn.release_savepoint());
      // A failed op's blob rows are undone with it, and so its blobs are never published.
      if (!results[i].error) publish.insert(new_blobs.begin(), new_blobs.end());
    }
    if (results[i].error && changes_entries(ops[i])) {
      abort_others(results, i);
      return false;
    }
  }
  return true;
}

Outcome<std::vector<BatchOpResult>> BatchService::run(const Caller& caller, const std::vector<Result<BatchOp>>& ops,
                                                      const std::vector<protocol::FolderUpdate>& folders) {
  std::vector<BatchOpResult> results(ops.size());
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (!ops[i]) results[i] = failed(ops[i].error());
  }
  const auto blobs = decode_blobs(ops, results);
  std::vector<storage::BlobData> durable;
  std::unordered_set<std::string> seen;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (results[i].error) continue;
    for (const auto& blob : blobs[i]) {
      if (seen.insert(blob.id).second) durable.push_back({blob.id, as_text(blob.bytes)});
    }
  }
  // Staged (durable, invisible) before the transaction; published inside it, only the blobs whose
  // ops were applied, and synced after it, outside the write lock. The rest are removed with
  // `staged`.
  auto staged = context_.blobs.stage_many(durable);
  if (!staged) return staged.error();
  bool undone = false;
  auto applied = in_write<Done>(context_, [&](storage::Transaction& txn) -> Outcome<Done> {
    FolderRecords records(txn, caller, folders);
    if (auto checked = records.check_bases(); !checked) return checked;
    std::set<std::string> publish;
    auto complete = apply_all(txn, caller, ops, blobs, results, publish);
    if (!complete) return complete.error();
    if (!*complete) {
      undone = true;
      return make_error(Errc::aborted, "an op that changes entries failed");
    }
    if (auto stored = explain_quota(txn, caller.user_id, records.apply()); !stored) return stored;
    const std::vector<std::string> ids(publish.begin(), publish.end());
    COFFER_TRY_STATUS((*staged)->publish(ids));
    return Done{};
  });
  if (!applied && !undone) return Outcome<std::vector<BatchOpResult>>(applied.error(), applied.details());
  if (applied) COFFER_TRY_STATUS((*staged)->sync_published());
  return results;
}

}  // namespace coffer::server::service
