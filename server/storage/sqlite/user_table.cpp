#include "server/storage/sqlite/tables.hpp"
#include "server/storage/sqlite/usage_sql.hpp"

namespace coffer::server::storage::sqlite {
namespace {

constexpr const char* kUserColumns =
    "id, name, admin, disabled, created_at, kdf_algorithm, kdf_n, kdf_r, kdf_p, kdf_salt, auth_verifier, "
    "key_bundle, public_key, root_node_id, root_wrapped_key, quota, used";

UserRecord read_user(const Query& row) {
  UserRecord user;
  user.id = row.int64(0);
  user.name = row.text(1);
  user.admin = row.boolean(2);
  user.disabled = row.boolean(3);
  user.created_at = row.int64(4);
  user.kdf = KdfRecord{row.text(5), row.uint64(6), row.uint64(7), row.uint64(8), row.text(9)};
  user.auth_verifier = row.text(10);
  user.key_bundle = row.text(11);
  user.public_key = row.text(12);
  user.root_node_id = row.text(13);
  user.root_wrapped_key = row.text(14);
  if (auto quota = row.optional_int64(15)) user.quota = static_cast<std::uint64_t>(*quota);
  user.used = row.uint64(16);
  return user;
}

Result<std::optional<UserRecord>> one_user(Query& query) {
  if (query.next()) return std::optional<UserRecord>(read_user(query));
  COFFER_TRY_STATUS(query.status());
  return std::optional<UserRecord>();
}

InviteRecord read_invite(const Query& row) {
  return InviteRecord{row.text(0), row.text(1), row.boolean(2), row.int64(3), row.int64(4)};
}

Result<std::optional<InviteRecord>> one_invite(Query& query) {
  if (query.next()) return std::optional<InviteRecord>(read_invite(query));
  COFFER_TRY_STATUS(query.status());
  return std::optional<InviteRecord>();
}

// The blobs the user holds or their versions list, as a JSON array for json_each(): the rows
// whose removal may leave a blob that nothing needs.
Result<std::string> blobs_of(Connection& db, std::int64_t id) {
  COFFER_QUERY(query, db,
               "SELECT json_group_array(blob_id) FROM (SELECT blob_id FROM user_blobs WHERE user_id = ?1 UNION "
               "SELECT blob_id FROM version_chunks WHERE node_id IN (SELECT id FROM nodes WHERE owner_id = ?1))");
  query.bind(1, id);
  if (!query.next()) return make_error(Errc::io, "cannot list the user's blobs");
  return query.text(0);
}

// Of `candidates`, deletes the blob rows no user holds and no version lists; returns their ids.
Result<std::vector<std::string>> remove_unneeded_blobs(Connection& db, const std::string& candidates) {
  COFFER_QUERY(query, db,
               "DELETE FROM blobs WHERE id IN (SELECT value FROM json_each(?1)) "
               "AND id NOT IN (SELECT blob_id FROM user_blobs) AND id NOT IN (SELECT blob_id FROM version_chunks) "
               "RETURNING id");
  query.bind(1, candidates);
  std::vector<std::string> removed;
  while (query.next()) removed.push_back(query.text(0));
  COFFER_TRY_STATUS(query.status());
  return removed;
}

}  // namespace

Status expect_change(Connection& db, Query& query, const char* what) {
  COFFER_TRY_STATUS(query.run());
  if (db.changes() == 0) return make_error(Errc::not_found, what);
  return {};
}

Result<std::optional<UserRecord>> SqliteUsers::find_by_name(const std::string& name) {
  static const std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE name = ?1";
  COFFER_QUERY(query, db_, sql.c_str());
  query.bind(1, name);
  return one_user(query);
}

Result<std::optional<UserRecord>> SqliteUsers::find_by_id(std::int64_t id) {
  static const std::string sql = std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?1";
  COFFER_QUERY(query, db_, sql.c_str());
  query.bind(1, id);
  return one_user(query);
}

Result<std::int64_t> SqliteUsers::insert(const UserRecord& user) {
  COFFER_QUERY(query, db_,
               "INSERT INTO users (name, admin, disabled, created_at, kdf_algorithm, kdf_n, kdf_r, kdf_p, kdf_salt, "
               "auth_verifier, key_bundle, public_key, root_node_id, root_wrapped_key, quota, used) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 0)");
  query.bind(1, user.name).bind(2, user.admin).bind(3, user.disabled).bind(4, user.created_at);
  query.bind(5, user.kdf.algorithm).bind(6, user.kdf.n).bind(7, user.kdf.r).bind(8, user.kdf.p).bind(9, user.kdf.salt);
  query.bind(10, user.auth_verifier).bind(11, user.key_bundle).bind(12, user.public_key);
  query.bind(13, user.root_node_id).bind(14, user.root_wrapped_key).bind(15, user.quota);
  COFFER_TRY_STATUS(query.run());
  return db_.last_insert_rowid();
}

Status SqliteUsers::update_credentials(std::int64_t id, const KdfRecord& kdf, const std::string& auth_verifier,
                                       const std::string& key_bundle) {
  COFFER_QUERY(query, db_,
               "UPDATE users SET kdf_algorithm = ?2, kdf_n = ?3, kdf_r = ?4, kdf_p = ?5, kdf_salt = ?6, "
               "auth_verifier = ?7, key_bundle = ?8 WHERE id = ?1");
  query.bind(1, id).bind(2, kdf.algorithm).bind(3, kdf.n).bind(4, kdf.r).bind(5, kdf.p).bind(6, kdf.salt);
  query.bind(7, auth_verifier).bind(8, key_bundle);
  return expect_change(db_, query, "no such user");
}

Status SqliteUsers::set_disabled(std::int64_t id, bool disabled) {
  COFFER_QUERY(query, db_, "UPDATE users SET disabled = ?2 WHERE id = ?1");
  query.bind(1, id).bind(2, disabled);
  return expect_change(db_, query, "no such user");
}

Status SqliteUsers::set_quota(std::int64_t id, std::optional<std::uint64_t> quota) {
  COFFER_QUERY(query, db_, "UPDATE users SET quota = ?2 WHERE id = ?1");
  query.bind(1, id).bind(2, quota);
  return expect_change(db_, query, "no such user");
}

Result<std::vector<std::string>> SqliteUsers::remove(std::int64_t id) {
  auto candidates = blobs_of(db_, id);
  if (!candidates) return candidates.error();
  // Children before parents, for the foreign keys.
  static constexpr const char* kSteps[] = {
      "DELETE FROM grants WHERE grantee_id = ?1 OR granted_by = ?1 OR node_id IN (SELECT id FROM nodes WHERE owner_id = ?1)",
      "DELETE FROM version_chunks WHERE node_id IN (SELECT id FROM nodes WHERE owner_id = ?1)",
      "DELETE FROM versions WHERE node_id IN (SELECT id FROM nodes WHERE owner_id = ?1)",
      "DELETE FROM entries WHERE node_id IN (SELECT id FROM nodes WHERE owner_id = ?1)",
      "DELETE FROM trash WHERE node_id IN (SELECT id FROM nodes WHERE owner_id = ?1)",
      "DELETE FROM entry_history WHERE owner_id = ?1",
      "DELETE FROM nodes WHERE owner_id = ?1",
      "DELETE FROM user_blobs WHERE user_id = ?1",
      "DELETE FROM changes WHERE owner_id = ?1",
      "DELETE FROM sessions WHERE user_id = ?1",
  };
  for (const char* step : kSteps) {
    COFFER_QUERY(query, db_, step);
    query.bind(1, id);
    COFFER_TRY_STATUS(query.run());
  }
  auto freed = remove_unneeded_blobs(db_, *candidates);
  if (!freed) return freed.error();
  COFFER_QUERY(query, db_, "DELETE FROM users WHERE id = ?1");
  query.bind(1, id);
  COFFER_TRY_STATUS(expect_change(db_, query, "no such user"));
  return freed;
}

Result<std::uint64_t> SqliteUsers::counted_usage(std::int64_t id) {
  COFFER_QUERY(query, db_, "SELECT " COFFER_COUNTED_USAGE("?1"));
  query.bind(1, id);
  if (!query.next()) return make_error(Errc::io, "cannot count the usage");
  return query.uint64(0);
}

Result<std::vector<UserRecord>> SqliteUsers::list() {
  static const std::string sql = std::string("SELECT ") + kUserColumns + " FROM users ORDER BY name";
  COFFER_QUERY(query, db_, sql.c_str());
  std::vector<UserRecord> users;
  while (query.next()) users.push_back(read_user(query));
  COFFER_TRY_STATUS(query.status());
  return users;
}

Status SqliteUsers::insert_invite(const InviteRecord& invite) {
  COFFER_QUERY(query, db_,
               "INSERT INTO invites (code_hash, user_name, admin, created_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)");
  query.bind(1, invite.code_hash).bind(2, invite.user_name).bind(3, invite.admin);
  query.bind(4, invite.created_at).bind(5, invite.expires_at);
  return query.run();
}

Result<std::optional<InviteRecord>> SqliteUsers::find_invite(const std::string& code_hash) {
  COFFER_QUERY(query, db_,
               "SELECT code_hash, user_name, admin, created_at, expires_at FROM invites WHERE code_hash = ?1");
  query.bind(1, code_hash);
  return one_invite(query);
}

Result<std::optional<InviteRecord>> SqliteUsers::find_invite_for(const std::string& user_name) {
  COFFER_QUERY(query, db_,
               "SELECT code_hash, user_name, admin, created_at, expires_at FROM invites WHERE user_name = ?1");
  query.bind(1, user_name);
  return one_invite(query);
}

Status SqliteUsers::remove_invite(const std::string& code_hash) {
  COFFER_QUERY(query, db_, "DELETE FROM invites WHERE code_hash = ?1");
  query.bind(1, code_hash);
  return expect_change(db_, query, "no such invite");
}

Result<std::vector<InviteRecord>> SqliteUsers::list_invites() {
  COFFER_QUERY(query, db_, "SELECT code_hash, user_name, admin, created_at, expires_at FROM invites ORDER BY user_name");
  std::vector<InviteRecord> invites;
  while (query.next()) invites.push_back(read_invite(query));
  COFFER_TRY_STATUS(query.status());
  return invites;
}

}  // namespace coffer::server::storage::sqlite
