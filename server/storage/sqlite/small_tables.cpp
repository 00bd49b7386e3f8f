#include "server/storage/sqlite/tables.hpp"

// Grants, the change feed and the audit log: small tables with a few statements each.

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

Result<std::uint64_t> SqliteChanges::append(const ChangeRecord& change) {
  COFFER_QUERY(query, db_,
               "INSERT INTO changes (owner_id, node_id, parent_id, kind, at, session_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  query.bind(1, change.owner_id).bind(2, change.node_id).bind(3, change.parent_id).bind(4, change.kind);
  query.bind(5, change.at).bind(6, change.session_id);
  COFFER_TRY_STATUS(query.run());
  return static_cast<std::uint64_t>(db_.last_insert_rowid());
}

Result<std::vector<ChangeRecord>> SqliteChanges::list_after(std::uint64_t cursor, std::optional<std::int64_t> owner,
                                                            std::size_t limit) {
  COFFER_QUERY(query, db_,
               "SELECT cursor, owner_id, node_id, parent_id, kind, at, session_id FROM changes "
               "WHERE cursor > ?1 AND (?2 IS NULL OR owner_id = ?2) ORDER BY cursor LIMIT ?3");
  query.bind(1, cursor).bind(2, owner).bind(3, static_cast<std::int64_t>(limit));
  std::vector<ChangeRecord> changes;
  while (query.next()) {
    changes.push_back(ChangeRecord{query.uint64(0), query.int64(1), query.text(2), query.optional_text(3),
                                   query.text(4), query.int64(5), query.text(6)});
  }
  COFFER_TRY_STATUS(query.status());
  return changes;
}

Result<std::uint64_t> SqliteChanges::latest_cursor() {
  COFFER_QUERY(query, db_, "SELECT coalesce(max(cursor), 0) FROM changes");
  if (!query.next()) return make_error(Errc::io, "reading the change cursor failed");
  return query.uint64(0);
}

Status SqliteAudit::append(const AuditRecord& record) {
  COFFER_QUERY(query, db_, "INSERT INTO audit (at, event, user_name, address, detail) VALUES (?1, ?2, ?3, ?4, ?5)");
  query.bind(1, record.at).bind(2, record.event).bind(3, record.user).bind(4, record.address).bind(5, record.detail);
  return query.run();
}

Result<std::vector<AuditRecord>> SqliteAudit::list_since(std::int64_t since, std::size_t limit) {
  COFFER_QUERY(query, db_,
               "SELECT id, at, event, user_name, address, detail FROM audit WHERE at >= ?1 ORDER BY id LIMIT ?2");
  query.bind(1, since).bind(2, static_cast<std::int64_t>(limit));
  std::vector<AuditRecord> records;
  while (query.next()) {
    records.push_back(AuditRecord{query.int64(0), query.int64(1), query.text(2), query.optional_text(3), query.text(4),
                                  query.text(5)});
  }
  COFFER_TRY_STATUS(query.status());
  return records;
}

}  // namespace coffer::server::storage::sqlite
