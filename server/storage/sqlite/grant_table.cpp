#include "server/storage/sqlite/tables.hpp"

// Sharing grants: who may reach which subtree, and the key wrapped for them.

namespace coffer::server::storage::sqlite {

Status SqliteGrants::upsert(const GrantRecord& grant) {
  COFFER_QUERY(query, db_,
               "INSERT INTO grants (node_id, grantee_id, access, wrapped_key, created_at) VALUES (?1, ?2, ?3, ?4, ?5) "
               "ON CONFLICT (node_id, grantee_id) DO UPDATE SET access = excluded.access, "
               "wrapped_key = excluded.wrapped_key");
  query.bind(1, grant.node_id).bind(2, grant.grantee_id).bind(3, grant.access == Access::write ? "write" : "read");
  query.bind(4, grant.wrapped_key).bind(5, grant.created_at);
  return query.run();
}

Result<std::optional<GrantRecord>> SqliteGrants::find(const std::string& node_id, std::int64_t grantee_id) {
  COFFER_QUERY(query, db_,
               "SELECT node_id, grantee_id, access, wrapped_key, created_at FROM grants "
               "WHERE node_id = ?1 AND grantee_id = ?2");
  query.bind(1, node_id).bind(2, grantee_id);
  if (query.next()) {
    return std::optional<GrantRecord>(GrantRecord{query.text(0), query.int64(1),
                                                  query.text(2) == "write" ? Access::write : Access::read,
                                                  query.text(3), query.int64(4)});
  }
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

}  // namespace coffer::server::storage::sqlite
