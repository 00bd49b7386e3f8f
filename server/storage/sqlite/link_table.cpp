#include "server/storage/sqlite/tables.hpp"

// Share links and their tokens (docs/server.md, "Links").

namespace coffer::server::storage::sqlite {
namespace {

#define COFFER_LINK_COLUMNS                                                                                 \
  "id, creator_id, node_id, kind, sealed_key, password, label, created_at, expires_at, max_downloads, " \
  "downloads"

LinkRecord read_link(const Query& row) {
  LinkRecord link{row.text(0),          row.int64(1),         row.text(2),  row.text(3),
                  row.text(4),          row.optional_text(5), row.text(6),  row.int64(7),
                  row.optional_int64(8), std::nullopt,        row.uint64(10)};
  if (auto max = row.optional_int64(9)) link.max_downloads = static_cast<std::uint64_t>(*max);
  return link;
}

}  // namespace

Status SqliteLinks::insert(const LinkRecord& link) {
  COFFER_QUERY(query, db_,
               "INSERT INTO links (" COFFER_LINK_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  query.bind(1, link.id).bind(2, link.creator_id).bind(3, link.node_id).bind(4, link.kind).bind(5, link.sealed_key);
  query.bind(6, link.password).bind(7, link.label).bind(8, link.created_at).bind(9, link.expires_at);
  query.bind(10, link.max_downloads).bind(11, link.downloads);
  return query.run();
}

Result<std::optional<LinkRecord>> SqliteLinks::find(const std::string& id) {
  COFFER_QUERY(query, db_, "SELECT " COFFER_LINK_COLUMNS " FROM links WHERE id = ?1");
  query.bind(1, id);
  if (query.next()) return std::optional<LinkRecord>(read_link(query));
  COFFER_TRY_STATUS(query.status());
  return std::optional<LinkRecord>();
}

Status SqliteLinks::remove(const std::string& id) {
  COFFER_QUERY(query, db_, "DELETE FROM links WHERE id = ?1");
  query.bind(1, id);
  return expect_change(db_, query, "no such link");
}

Result<std::vector<LinkRecord>> SqliteLinks::list_by_creator(std::int64_t creator_id, std::size_t limit) {
  COFFER_QUERY(query, db_,
               "SELECT " COFFER_LINK_COLUMNS " FROM links WHERE creator_id = ?1 "
               "ORDER BY created_at DESC, id LIMIT ?2");
  query.bind(1, creator_id).bind(2, static_cast<std::int64_t>(limit));
  std::vector<LinkRecord> links;
  while (query.next()) links.push_back(read_link(query));
  COFFER_TRY_STATUS(query.status());
  return links;
}

Result<std::uint64_t> SqliteLinks::count_live(std::int64_t creator_id, std::int64_t now) {
  COFFER_QUERY(query, db_,
               "SELECT count(*) FROM links WHERE creator_id = ?1 AND (expires_at IS NULL OR expires_at > ?2) "
               "AND (max_downloads IS NULL OR downloads < max_downloads)");
  query.bind(1, creator_id).bind(2, now);
  if (!query.next()) return make_error(Errc::io, "counting links failed");
  return query.uint64(0);
}

Result<std::uint64_t> SqliteLinks::count_all(std::int64_t creator_id) {
  COFFER_QUERY(query, db_, "SELECT count(*) FROM links WHERE creator_id = ?1");
  query.bind(1, creator_id);
  if (!query.next()) return make_error(Errc::io, "counting links failed");
  return query.uint64(0);
}

Status SqliteLinks::remove_expired_before(std::int64_t creator_id, std::int64_t cutoff) {
  COFFER_QUERY(query, db_, "DELETE FROM links WHERE creator_id = ?1 AND expires_at IS NOT NULL AND expires_at <= ?2");
  query.bind(1, creator_id).bind(2, cutoff);
  return query.run();
}

Result<bool> SqliteLinks::count_download(const std::string& id, std::int64_t now) {
  COFFER_QUERY(query, db_,
               "UPDATE links SET downloads = downloads + 1 WHERE id = ?1 AND (expires_at IS NULL OR expires_at > ?2) "
               "AND (max_downloads IS NULL OR downloads < max_downloads)");
  query.bind(1, id).bind(2, now);
  COFFER_TRY_STATUS(query.run());
  return db_.changes() == 1;
}

Status SqliteLinks::insert_token(const LinkTokenRecord& token) {
  COFFER_QUERY(query, db_, "INSERT INTO link_tokens (token_hash, link_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)");
  query.bind(1, token.token_hash).bind(2, token.link_id).bind(3, token.created_at).bind(4, token.expires_at);
  return query.run();
}

Result<std::optional<LinkTokenRecord>> SqliteLinks::find_token(const std::string& token_hash) {
  COFFER_QUERY(query, db_, "SELECT token_hash, link_id, created_at, expires_at FROM link_tokens WHERE token_hash = ?1");
  query.bind(1, token_hash);
  if (query.next()) {
    return std::optional<LinkTokenRecord>(LinkTokenRecord{query.text(0), query.text(1), query.int64(2), query.int64(3)});
  }
  COFFER_TRY_STATUS(query.status());
  return std::optional<LinkTokenRecord>();
}

Status SqliteLinks::keep_newest_tokens(const std::string& link_id, std::size_t keep) {
  COFFER_QUERY(query, db_,
               "DELETE FROM link_tokens WHERE link_id = ?1 AND rowid <= (SELECT rowid FROM link_tokens "
               "WHERE link_id = ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?2)");
  query.bind(1, link_id).bind(2, static_cast<std::int64_t>(keep));
  return query.run();
}

Result<std::uint64_t> SqliteLinks::remove_expired_tokens(std::int64_t now) {
  COFFER_QUERY(query, db_, "DELETE FROM link_tokens WHERE expires_at <= ?1");
  query.bind(1, now);
  COFFER_TRY_STATUS(query.run());
  return static_cast<std::uint64_t>(db_.changes());
}

}  // namespace coffer::server::storage::sqlite
