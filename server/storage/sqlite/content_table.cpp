#include "server/storage/sqlite/tables.hpp"

namespace coffer::server::storage::sqlite {
namespace {

#define COFFER_VERSION_COLUMNS "node_id, version, manifest, size, chunk_count, created_at, created_by, device"

VersionRecord read_version(const Query& row) {
  return VersionRecord{row.text(0),  row.uint64(1), row.text(2),  row.uint64(3),
                       row.uint64(4), row.int64(5), row.int64(6), row.optional_text(7)};
}

// The node ids `sql` selects for a blob (?1) and a limit (?2).
Result<std::vector<std::string>> nodes_of_blob(Connection& db, const char* sql, const std::string& blob_id,
                                               std::size_t limit) {
  COFFER_QUERY(query, db, sql);
  query.bind(1, blob_id).bind(2, static_cast<std::int64_t>(limit));
  std::vector<std::string> nodes;
  while (query.next()) nodes.push_back(query.text(0));
  COFFER_TRY_STATUS(query.status());
  return nodes;
}

}  // namespace

Status remove_version(Connection& db, const std::string& node_id, std::uint64_t version, std::set<std::string>& listed) {
  {
    COFFER_QUERY(query, db, "DELETE FROM version_chunks WHERE node_id = ?1 AND version = ?2 RETURNING blob_id");
    query.bind(1, node_id).bind(2, version);
    while (query.next()) listed.insert(query.text(0));
    COFFER_TRY_STATUS(query.status());
  }
  COFFER_QUERY(query, db, "DELETE FROM versions WHERE node_id = ?1 AND version = ?2");
  query.bind(1, node_id).bind(2, version);
  return expect_change(db, query, "no such version");
}

Result<std::pair<std::uint64_t, std::uint64_t>> unreferenced_blobs(Connection& db, const std::set<std::string>& listed) {
  std::pair<std::uint64_t, std::uint64_t> unreferenced{0, 0};
  for (const auto& blob_id : listed) {
    COFFER_QUERY(query, db,
                 "SELECT size FROM blobs WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM version_chunks WHERE blob_id = ?1)");
    query.bind(1, blob_id);
    if (query.next()) {
      ++unreferenced.first;
      unreferenced.second += query.uint64(0);
    }
    COFFER_TRY_STATUS(query.status());
  }
  return unreferenced;
}

Status SqliteContent::insert_version(const VersionRecord& version, const std::vector<std::string>& chunks) {
  {
    COFFER_QUERY(query, db_, "INSERT INTO versions (" COFFER_VERSION_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    query.bind(1, version.node_id).bind(2, version.version).bind(3, version.manifest).bind(4, version.size);
    query.bind(5, version.chunk_count).bind(6, version.created_at).bind(7, version.created_by).bind(8, version.device);
    COFFER_TRY_STATUS(query.run());
  }
  for (std::size_t seq = 0; seq < chunks.size(); ++seq) {
    COFFER_QUERY(query, db_, "INSERT INTO version_chunks (node_id, version, seq, blob_id) VALUES (?1, ?2, ?3, ?4)");
    query.bind(1, version.node_id).bind(2, version.version).bind(3, static_cast<std::uint64_t>(seq)).bind(4, chunks[seq]);
    COFFER_TRY_STATUS(query.run());
  }
  return {};
}

Result<std::optional<VersionRecord>> SqliteContent::find_version(const std::string& node_id, std::uint64_t version) {
  COFFER_QUERY(query, db_, "SELECT " COFFER_VERSION_COLUMNS " FROM versions WHERE node_id = ?1 AND version = ?2");
  query.bind(1, node_id).bind(2, version);
  if (query.next()) return std::optional<VersionRecord>(read_version(query));
  COFFER_TRY_STATUS(query.status());
  return std::optional<VersionRecord>();
}

Result<std::vector<VersionRecord>> SqliteContent::list_versions(const std::string& node_id) {
  // The manifest is left out of listings (it can be large); find_version reads it.
  COFFER_QUERY(query, db_,
               "SELECT node_id, version, '', size, chunk_count, created_at, created_by, device FROM versions "
               "WHERE node_id = ?1 ORDER BY version");
  query.bind(1, node_id);
  std::vector<VersionRecord> versions;
  while (query.next()) versions.push_back(read_version(query));
  COFFER_TRY_STATUS(query.status());
  return versions;
}

Result<std::vector<std::string>> SqliteContent::version_chunks(const std::string& node_id, std::uint64_t version) {
  COFFER_QUERY(query, db_, "SELECT blob_id FROM version_chunks WHERE node_id = ?1 AND version = ?2 ORDER BY seq");
  query.bind(1, node_id).bind(2, version);
  std::vector<std::string> chunks;
  while (query.next()) chunks.push_back(query.text(0));
  COFFER_TRY_STATUS(query.status());
  return chunks;
}

Result<std::optional<VersionAt>> SqliteContent::version_at(const std::string& node_id, std::int64_t at) {
  COFFER_QUERY(query, db_,
               "SELECT version, size FROM versions WHERE node_id = ?1 AND created_at <= ?2 ORDER BY version DESC LIMIT 1");
  query.bind(1, node_id).bind(2, at);
  if (query.next()) return std::optional<VersionAt>(VersionAt{query.uint64(0), query.uint64(1)});
  COFFER_TRY_STATUS(query.status());
  return std::optional<VersionAt>();
}

Result<bool> SqliteContent::insert_blob(const std::string& blob_id, std::uint64_t size, std::int64_t now) {
  COFFER_QUERY(query, db_, "INSERT OR IGNORE INTO blobs (id, size, created_at) VALUES (?1, ?2, ?3)");
  query.bind(1, blob_id).bind(2, size).bind(3, now);
  COFFER_TRY_STATUS(query.run());
  return db_.changes() > 0;
}

Result<std::optional<std::uint64_t>> SqliteContent::blob_size(const std::string& blob_id) {
  COFFER_QUERY(query, db_, "SELECT size FROM blobs WHERE id = ?1");
  query.bind(1, blob_id);
  if (query.next()) return std::optional<std::uint64_t>(query.uint64(0));
  COFFER_TRY_STATUS(query.status());
  return std::optional<std::uint64_t>();
}

Result<bool> SqliteContent::hold_blob(std::int64_t user_id, const std::string& blob_id) {
  // The usage_blob_hold trigger charges the blob's size (usage_sql.hpp). held_at is the time
  // of the latest upload, held or not before: gc's grace period counts from it, so a blob
  // uploaded again for a commit still to come is kept (docs/server.md, "Garbage collection").
  COFFER_QUERY(insert, db_, "INSERT OR IGNORE INTO user_blobs (user_id, blob_id, held_at) VALUES (?1, ?2, unixepoch())");
  insert.bind(1, user_id).bind(2, blob_id);
  COFFER_TRY_STATUS(insert.run());
  if (db_.changes() > 0) return true;
  COFFER_QUERY(touch, db_, "UPDATE user_blobs SET held_at = unixepoch() WHERE user_id = ?1 AND blob_id = ?2");
  touch.bind(1, user_id).bind(2, blob_id);
  COFFER_TRY_STATUS(touch.run());
  return false;
}

Result<bool> SqliteContent::holds_blob(std::int64_t user_id, const std::string& blob_id) {
  COFFER_QUERY(query, db_, "SELECT 1 FROM user_blobs WHERE user_id = ?1 AND blob_id = ?2");
  query.bind(1, user_id).bind(2, blob_id);
  const bool found = query.next();
  COFFER_TRY_STATUS(query.status());
  return found;
}

Result<std::vector<std::string>> SqliteContent::nodes_referencing(const std::string& blob_id, std::size_t limit) {
  return nodes_of_blob(db_, "SELECT DISTINCT node_id FROM version_chunks WHERE blob_id = ?1 LIMIT ?2", blob_id, limit);
}

Result<std::vector<std::string>> SqliteContent::nodes_currently_referencing(const std::string& blob_id,
                                                                          std::size_t limit) {
  return nodes_of_blob(db_,
                       "SELECT DISTINCT c.node_id FROM version_chunks c JOIN nodes n ON n.id = c.node_id "
                       "AND n.version = c.version WHERE c.blob_id = ?1 LIMIT ?2",
                       blob_id, limit);
}

Result<UsageSplit> SqliteContent::usage_split(std::int64_t user_id) {
  // Each held blob takes the first class a version lists it in: 0 the current version of a node
  // not in the trash, 1 an older version of one, 2 any version of a node in the trash.
  COFFER_QUERY(query, db_,
               "SELECT coalesce(sum(CASE WHEN k = 0 THEN size END), 0), coalesce(sum(CASE WHEN k = 1 THEN size END), 0), "
               "coalesce(sum(CASE WHEN k = 2 THEN size END), 0) FROM (SELECT b.size AS size, "
               "(SELECT min(CASE WHEN n.trashed_at IS NOT NULL THEN 2 WHEN c.version = n.version THEN 0 ELSE 1 END) "
               "FROM version_chunks c JOIN nodes n ON n.id = c.node_id WHERE c.blob_id = u.blob_id) AS k "
               "FROM user_blobs u JOIN blobs b ON b.id = u.blob_id WHERE u.user_id = ?1)");
  query.bind(1, user_id);
  if (!query.next()) {
    COFFER_TRY_STATUS(query.status());
    return make_error(Errc::io, "reading the usage split failed");
  }
  return UsageSplit{query.uint64(0), query.uint64(1), query.uint64(2)};
}

}  // namespace coffer::server::storage::sqlite
