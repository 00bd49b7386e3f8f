#include "server/storage/sqlite/tables.hpp"

namespace coffer::server::storage::sqlite {
namespace {

#define COFFER_SESSION_COLUMNS "id, user_id, token_hash, device, created_at, last_seen, expires_at, revoked_at"

SessionRecord read_session(const Query& row) {
  return SessionRecord{row.text(0),  row.int64(1), row.text(2),  row.text(3),
                       row.int64(4), row.int64(5), row.int64(6), row.optional_int64(7)};
}

Result<std::optional<SessionRecord>> one_session(Query& query) {
  if (query.next()) return std::optional<SessionRecord>(read_session(query));
  COFFER_TRY_STATUS(query.status());
  return std::optional<SessionRecord>();
}

}  // namespace

Status SqliteSessions::insert(const SessionRecord& session) {
  COFFER_QUERY(query, db_, "INSERT INTO sessions (" COFFER_SESSION_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  query.bind(1, session.id).bind(2, session.user_id).bind(3, session.token_hash).bind(4, session.device);
  query.bind(5, session.created_at).bind(6, session.last_seen).bind(7, session.expires_at).bind(8, session.revoked_at);
  return query.run();
}

Result<std::optional<SessionRecord>> SqliteSessions::find(const std::string& id) {
  COFFER_QUERY(query, db_, "SELECT " COFFER_SESSION_COLUMNS " FROM sessions WHERE id = ?1");
  query.bind(1, id);
  return one_session(query);
}

Result<std::optional<SessionRecord>> SqliteSessions::find_by_token_hash(const std::string& token_hash) {
  COFFER_QUERY(query, db_, "SELECT " COFFER_SESSION_COLUMNS " FROM sessions WHERE token_hash = ?1");
  query.bind(1, token_hash);
  return one_session(query);
}

Status SqliteSessions::touch(const std::string& id, std::int64_t now) {
  COFFER_QUERY(query, db_, "UPDATE sessions SET last_seen = ?2 WHERE id = ?1");
  query.bind(1, id).bind(2, now);
  return expect_change(db_, query, "no such session");
}

Status SqliteSessions::revoke(const std::string& id, std::int64_t now) {
  COFFER_QUERY(query, db_, "UPDATE sessions SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL");
  query.bind(1, id).bind(2, now);
  return expect_change(db_, query, "no such live session");
}

Result<std::uint64_t> SqliteSessions::revoke_all(std::int64_t user_id, const std::optional<std::string>& keep,
                                                 std::int64_t now) {
  COFFER_QUERY(query, db_,
               "UPDATE sessions SET revoked_at = ?3 WHERE user_id = ?1 AND revoked_at IS NULL "
               "AND (?2 IS NULL OR id != ?2)");
  query.bind(1, user_id).bind(2, keep).bind(3, now);
  COFFER_TRY_STATUS(query.run());
  return static_cast<std::uint64_t>(db_.changes());
}

Result<std::vector<SessionRecord>> SqliteSessions::list_live(std::optional<std::int64_t> user_id, std::int64_t now) {
  COFFER_QUERY(query, db_,
               "SELECT " COFFER_SESSION_COLUMNS " FROM sessions WHERE (?1 IS NULL OR user_id = ?1) "
               "AND revoked_at IS NULL AND expires_at > ?2 ORDER BY created_at DESC, id");
  query.bind(1, user_id).bind(2, now);
  std::vector<SessionRecord> sessions;
  while (query.next()) sessions.push_back(read_session(query));
  COFFER_TRY_STATUS(query.status());
  return sessions;
}

}  // namespace coffer::server::storage::sqlite
