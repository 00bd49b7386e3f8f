#include "server/storage/sqlite/tables.hpp"

// The change feed: one row per change, read in cursor order.

namespace coffer::server::storage::sqlite {

Result<std::uint64_t> SqliteChanges::append(const ChangeRecord& change) {
  COFFER_QUERY(query, db_,
               "INSERT INTO changes (owner_id, node_id, parent_id, kind, at, session_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  query.bind(1, change.owner_id).bind(2, change.node_id).bind(3, change.parent_id).bind(4, change.kind);
  query.bind(5, change.at).bind(6, change.session_id);
  COFFER_TRY_STATUS(query.run());
  return static_cast<std::uint64_t>(db_.last_insert_rowid());
}

namespace {

Result<std::vector<ChangeRecord>> read_changes(Query& query) {
  std::vector<ChangeRecord> changes;
  while (query.next()) {
    changes.push_back(ChangeRecord{query.uint64(0), query.int64(1), query.text(2), query.optional_text(3),
                                   query.text(4), query.int64(5), query.text(6)});
  }
  COFFER_TRY_STATUS(query.status());
  return changes;
}

}  // namespace

Result<std::vector<ChangeRecord>> SqliteChanges::list_after(std::uint64_t cursor, std::size_t limit) {
  COFFER_QUERY(query, db_,
               "SELECT cursor, owner_id, node_id, parent_id, kind, at, session_id FROM changes "
               "WHERE cursor > ?1 ORDER BY cursor LIMIT ?2");
  query.bind(1, cursor).bind(2, static_cast<std::int64_t>(limit));
  return read_changes(query);
}

// The owners are the user and those of the nodes shared with them: a handful, each an indexed
// range of changes_by_owner.
Result<std::vector<ChangeRecord>> SqliteChanges::list_after_for(std::uint64_t cursor, std::int64_t user_id,
                                                                std::size_t limit) {
  COFFER_QUERY(query, db_,
               "SELECT cursor, owner_id, node_id, parent_id, kind, at, session_id FROM changes "
               "WHERE owner_id IN (SELECT ?2 UNION SELECT n.owner_id FROM grants g JOIN nodes n ON n.id = g.node_id "
               "WHERE g.grantee_id = ?2) AND cursor > ?1 ORDER BY cursor LIMIT ?3");
  query.bind(1, cursor).bind(2, user_id).bind(3, static_cast<std::int64_t>(limit));
  return read_changes(query);
}

Result<std::uint64_t> SqliteChanges::latest_cursor() {
  COFFER_QUERY(query, db_, "SELECT coalesce(max(cursor), 0) FROM changes");
  if (!query.next()) return make_error(Errc::io, "reading the change cursor failed");
  return query.uint64(0);
}

}  // namespace coffer::server::storage::sqlite
