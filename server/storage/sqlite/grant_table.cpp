#include "server/storage/sqlite/tables.hpp"

// Sharing grants: who may reach which subtree with which role, and the sealed grant for them
// (docs/server.md, "Sharing").

namespace coffer::server::storage::sqlite {
namespace {

// A grant with its names, as read_listing reads it from the first column on.
#define COFFER_GRANT_LISTING                                                                                 \
  "SELECT g.node_id, g.grantee_id, g.access, g.wrapped_key, g.created_at, g.granted_by, n.owner_id, o.name, " \
  "e.name, b.name, n.trashed_at IS NOT NULL FROM grants g JOIN nodes n ON n.id = g.node_id "                \
  "JOIN users o ON o.id = n.owner_id JOIN users e ON e.id = g.grantee_id JOIN users b ON b.id = g.granted_by "
#define COFFER_GRANT_ORDER " ORDER BY g.node_id, e.name"

GrantRecord read_grant(const Query& row) {
  return GrantRecord{row.text(0), row.int64(1), access_from_name(row.text(2)).value_or(Access::read),
                     row.text(3), row.int64(4), row.int64(5)};
}

Result<std::vector<GrantListing>> read_listings(Query& query) {
  std::vector<GrantListing> listings;
  while (query.next()) {
    listings.push_back(
        GrantListing{read_grant(query), query.int64(6), query.text(7), query.text(8), query.text(9), query.boolean(10)});
  }
  COFFER_TRY_STATUS(query.status());
  return listings;
}

}  // namespace

Result<bool> SqliteGrants::upsert(const GrantRecord& grant) {
  auto existing = find(grant.node_id, grant.grantee_id);
  if (!existing) return existing.error();
  COFFER_QUERY(query, db_,
               "INSERT INTO grants (node_id, grantee_id, access, wrapped_key, created_at, granted_by) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (node_id, grantee_id) DO UPDATE SET "
               "access = excluded.access, wrapped_key = excluded.wrapped_key, granted_by = excluded.granted_by");
  query.bind(1, grant.node_id).bind(2, grant.grantee_id).bind(3, access_name(grant.access));
  query.bind(4, grant.wrapped_key).bind(5, grant.created_at).bind(6, grant.granted_by);
  COFFER_TRY_STATUS(query.run());
  return !existing->has_value();
}

Result<std::optional<GrantRecord>> SqliteGrants::find(const std::string& node_id, std::int64_t grantee_id) {
  COFFER_QUERY(query, db_,
               "SELECT node_id, grantee_id, access, wrapped_key, created_at, granted_by FROM grants "
               "WHERE node_id = ?1 AND grantee_id = ?2");
  query.bind(1, node_id).bind(2, grantee_id);
  if (query.next()) return std::optional<GrantRecord>(read_grant(query));
  COFFER_TRY_STATUS(query.status());
  return std::optional<GrantRecord>();
}

Status SqliteGrants::remove(const std::string& node_id, std::int64_t grantee_id) {
  COFFER_QUERY(query, db_, "DELETE FROM grants WHERE node_id = ?1 AND grantee_id = ?2");
  query.bind(1, node_id).bind(2, grantee_id);
  return expect_change(db_, query, "no such grant");
}

Result<bool> SqliteGrants::has_any(std::int64_t grantee_id) {
  COFFER_QUERY(query, db_, "SELECT 1 FROM grants WHERE grantee_id = ?1 LIMIT 1");
  query.bind(1, grantee_id);
  const bool found = query.next();
  COFFER_TRY_STATUS(query.status());
  return found;
}

Result<std::vector<GrantListing>> SqliteGrants::list_outgoing(std::int64_t user_id, std::size_t limit) {
  COFFER_QUERY(query, db_,
               COFFER_GRANT_LISTING "WHERE n.owner_id = ?1 OR g.granted_by = ?1" COFFER_GRANT_ORDER " LIMIT ?2");
  query.bind(1, user_id).bind(2, static_cast<std::int64_t>(limit));
  return read_listings(query);
}

Result<std::vector<GrantListing>> SqliteGrants::list_incoming(std::int64_t user_id, std::size_t limit) {
  COFFER_QUERY(query, db_, COFFER_GRANT_LISTING "WHERE g.grantee_id = ?1" COFFER_GRANT_ORDER " LIMIT ?2");
  query.bind(1, user_id).bind(2, static_cast<std::int64_t>(limit));
  return read_listings(query);
}

Result<std::vector<GrantListing>> SqliteGrants::list_involving(std::optional<std::int64_t> user_id,
                                                               std::size_t limit) {
  COFFER_QUERY(query, db_,
               COFFER_GRANT_LISTING "WHERE ?1 IS NULL OR n.owner_id = ?1 OR g.grantee_id = ?1 OR g.granted_by = ?1"
                   COFFER_GRANT_ORDER " LIMIT ?2");
  query.bind(1, user_id).bind(2, static_cast<std::int64_t>(limit));
  return read_listings(query);
}

}  // namespace coffer::server::storage::sqlite
