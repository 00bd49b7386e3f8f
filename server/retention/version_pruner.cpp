#include "server/retention/version_pruner.hpp"

#include <algorithm>
#include <set>
#include <vector>

#include "server/retention/retention_policy.hpp"
#include "server/storage/sqlite/tables.hpp"

namespace coffer::server::retention {
namespace {

using storage::sqlite::Connection;

// Versions removed per write transaction (a node's versions are never split across two).
constexpr std::size_t kVersionsPerTransaction = 500;
constexpr std::int64_t kNodesPerQuery = 200;

struct Pruning {
  Connection& db;
  const PruneRequest& request;
  std::optional<std::int64_t> owner;
  PruneReport report;
  std::set<std::string> listed;  // blobs the versions removed in this transaction listed
  std::set<std::string> files;   // nodes that lost versions
  std::size_t in_transaction = 0;
};

Status begin(Pruning& run) { return run.db.exec("BEGIN IMMEDIATE"); }

// Ends the transaction (committed, or rolled back in a dry run, which then starts the next
// only at the very end) after counting the blobs no version lists any more.
Status finish(Pruning& run) {
  auto unlisted = storage::sqlite::unreferenced_blobs(run.db, run.listed);
  if (!unlisted) return unlisted.error();
  run.report.unreferenced_blobs += unlisted->first;
  run.report.unreferenced_bytes += unlisted->second;
  run.listed.clear();
  run.in_transaction = 0;
  return run.db.exec(run.request.dry_run ? "ROLLBACK" : "COMMIT");
}

// In a real run, commits once enough versions went, and begins the next transaction.
Status maybe_split(Pruning& run) {
  if (run.request.dry_run || run.in_transaction < kVersionsPerTransaction) return {};
  COFFER_TRY_STATUS(finish(run));
  return begin(run);
}

Status remove(Pruning& run, const std::string& node_id, std::uint64_t version) {
  COFFER_TRY_STATUS(storage::sqlite::remove_version(run.db, node_id, version, run.listed));
  ++run.report.versions;
  ++run.in_transaction;
  run.files.insert(node_id);
  return {};
}

Result<std::optional<std::int64_t>> owner_of(Connection& db, const std::optional<std::string>& user) {
  if (!user) return std::optional<std::int64_t>();
  COFFER_QUERY(query, db, "SELECT id FROM users WHERE name = ?1");
  query.bind(1, *user);
  if (query.next()) return std::optional<std::int64_t>(query.int64(0));
  COFFER_TRY_STATUS(query.status());
  return make_error(Errc::not_found, "no user " + *user);
}

// The next nodes after `after` with more than one version.
Result<std::vector<std::pair<std::string, std::uint64_t>>> nodes_after(Pruning& run, const std::string& after) {
  COFFER_QUERY(query, run.db,
               "SELECT v.node_id, n.version FROM versions v JOIN nodes n ON n.id = v.node_id "
               "WHERE v.node_id > ?1 AND (?2 IS NULL OR n.owner_id = ?2) "
               "GROUP BY v.node_id HAVING count(*) > 1 ORDER BY v.node_id LIMIT ?3");
  query.bind(1, after).bind(2, run.owner).bind(3, kNodesPerQuery);
  std::vector<std::pair<std::string, std::uint64_t>> nodes;
  while (query.next()) nodes.emplace_back(query.text(0), query.uint64(1));
  COFFER_TRY_STATUS(query.status());
  return nodes;
}

Status prune_node_by_age(Pruning& run, const std::string& node_id, std::uint64_t current) {
  std::vector<VersionAge> versions;
  {
    COFFER_QUERY(query, run.db, "SELECT version, created_at FROM versions WHERE node_id = ?1 ORDER BY version");
    query.bind(1, node_id);
    while (query.next()) versions.push_back(VersionAge{query.uint64(0), query.int64(1)});
    COFFER_TRY_STATUS(query.status());
  }
  const auto kept = keep_by_age(versions, current, run.request.now, run.request.policy);
  if (kept.size() == versions.size()) return {};
  for (const auto& version : versions) {
    if (!kept.contains(version.version)) COFFER_TRY_STATUS(remove(run, node_id, version.version));
  }
  return maybe_split(run);
}

Status prune_by_age(Pruning& run) {
  std::string after;
  for (;;) {
    auto nodes = nodes_after(run, after);
    if (!nodes) return nodes.error();
    for (const auto& [node_id, current] : *nodes) COFFER_TRY_STATUS(prune_node_by_age(run, node_id, current));
    if (static_cast<std::int64_t>(nodes->size()) < kNodesPerQuery) return {};
    after = nodes->back().first;
  }
}

Result<std::vector<std::int64_t>> capped_users(Pruning& run) {
  if (run.owner) return std::vector<std::int64_t>{*run.owner};
  COFFER_QUERY(query, run.db, "SELECT id FROM users ORDER BY id");
  std::vector<std::int64_t> users;
  while (query.next()) users.push_back(query.int64(0));
  COFFER_TRY_STATUS(query.status());
  return users;
}

// The user's old versions, oldest first, with the blobs they list that no current version of
// the user's lists.
Result<std::vector<OldVersion>> old_versions(Pruning& run, std::int64_t user_id) {
  COFFER_QUERY(query, run.db,
               "SELECT v.node_id, v.version, c.blob_id, b.size FROM versions v JOIN nodes n ON n.id = v.node_id "
               "LEFT JOIN version_chunks c ON c.node_id = v.node_id AND c.version = v.version AND c.blob_id NOT IN "
               "(SELECT cc.blob_id FROM version_chunks cc JOIN nodes nn ON nn.id = cc.node_id AND cc.version = nn.version "
               "WHERE nn.owner_id = ?1) LEFT JOIN blobs b ON b.id = c.blob_id "
               "WHERE n.owner_id = ?1 AND v.version <> n.version ORDER BY v.created_at, v.node_id, v.version, c.seq");
  query.bind(1, user_id);
  std::vector<OldVersion> versions;
  while (query.next()) {
    const std::string node_id = query.text(0);
    const std::uint64_t version = query.uint64(1);
    if (versions.empty() || versions.back().node_id != node_id || versions.back().version != version) {
      versions.push_back(OldVersion{node_id, version, {}});
    }
    if (!query.is_null(2)) versions.back().blobs.emplace_back(query.text(2), query.uint64(3));
  }
  COFFER_TRY_STATUS(query.status());
  return versions;
}

Status prune_by_cap(Pruning& run) {
  if (run.request.policy.max_old_bytes == 0) return {};
  auto users = capped_users(run);
  if (!users) return users.error();
  for (const auto user_id : *users) {
    auto versions = old_versions(run, user_id);
    if (!versions) return versions.error();
    const std::size_t pruned = prune_for_cap(*versions, run.request.policy.max_old_bytes);
    for (std::size_t i = 0; i < pruned; ++i) {
      COFFER_TRY_STATUS(remove(run, (*versions)[i].node_id, (*versions)[i].version));
      COFFER_TRY_STATUS(maybe_split(run));
    }
  }
  return {};
}

// Forgets entries removed before the longest horizon, at most kVersionsPerTransaction rows per
// transaction in a real run.
Status prune_history(Pruning& run) {
  const auto& policy = run.request.policy;
  const std::int64_t horizon = std::max({policy.keep_all, policy.daily, policy.weekly}).count();
  for (;;) {
    COFFER_QUERY(query, run.db,
                 "DELETE FROM entry_history WHERE id IN (SELECT id FROM entry_history WHERE removed_at IS NOT NULL "
                 "AND removed_at < ?1 AND (?2 IS NULL OR owner_id = ?2) LIMIT ?3)");
    query.bind(1, run.request.now - horizon).bind(2, run.owner).bind(3, static_cast<std::int64_t>(kVersionsPerTransaction));
    COFFER_TRY_STATUS(query.run());
    const auto removed = static_cast<std::uint64_t>(run.db.changes());
    run.report.history_rows += removed;
    if (removed < kVersionsPerTransaction) return {};
    run.in_transaction += removed;
    COFFER_TRY_STATUS(maybe_split(run));
  }
}

}  // namespace

Result<PruneReport> prune_versions(const std::filesystem::path& database, const PruneRequest& request) {
  auto connection = Connection::open(database, std::chrono::milliseconds(10000));
  if (!connection) return connection.error();
  Pruning run{**connection, request, std::nullopt, {}, {}, {}, 0};
  auto owner = owner_of(run.db, request.user);
  if (!owner) return owner.error();
  run.owner = *owner;
  COFFER_TRY_STATUS(begin(run));
  Status done = prune_by_age(run);
  if (done) done = prune_by_cap(run);
  if (done) done = prune_history(run);
  if (!done) {
    (void)run.db.exec("ROLLBACK");
    return done.error();
  }
  COFFER_TRY_STATUS(finish(run));
  run.report.files = run.files.size();
  return run.report;
}

}  // namespace coffer::server::retention
