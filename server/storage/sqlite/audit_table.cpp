#include "server/storage/sqlite/tables.hpp"

// The audit log: account and admin events, appended and read by time.

namespace coffer::server::storage::sqlite {

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

// A prefix compared with substr, not LIKE: details hold base64url ids, whose '_' LIKE would take
// for a wildcard. The index on `at` bounds the rows read to the window's.
Result<std::size_t> SqliteAudit::count_since(std::int64_t since, const std::string& event,
                                             const std::string& detail_prefix) {
  COFFER_QUERY(query, db_,
               "SELECT count(*) FROM audit WHERE at >= ?1 AND event = ?2 AND substr(detail, 1, length(?3)) = ?3");
  query.bind(1, since).bind(2, event).bind(3, detail_prefix);
  if (!query.next()) return make_error(Errc::io, "counting audit records failed");
  return static_cast<std::size_t>(query.uint64(0));
}

}  // namespace coffer::server::storage::sqlite
