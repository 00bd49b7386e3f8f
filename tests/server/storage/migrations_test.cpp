#include <doctest/doctest.h>

#include <vector>

#include "server/storage/sqlite/migrations.hpp"
#include "server/storage/sqlite/sqlite_store.hpp"
#include "server/storage/sqlite/usage_sql.hpp"
#include "tests/server/support/temp_dir.hpp"

using namespace coffer::server::storage::sqlite;
using coffer::test::TempDir;

namespace {

std::unique_ptr<Connection> open_db(const std::filesystem::path& file) {
  auto connection = Connection::open(file, std::chrono::milliseconds(1000));
  REQUIRE(connection);
  return std::move(*connection);
}

// The schema steps before `version`: a data directory as an older cofferd left it.
std::span<const Migration> steps_before(int version) {
  const auto all = schema_migrations();
  std::size_t count = 0;
  while (count < all.size() && all[count].version < version) ++count;
  return all.first(count);
}

bool table_exists(Connection& db, const char* name) {
  auto query = db.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1");
  REQUIRE(query);
  query->bind(1, name);
  return query->next();
}

}  // namespace

TEST_CASE("a fresh database gets every schema step") {
  TempDir dir;
  auto db = open_db(dir.path() / "coffer.db");
  REQUIRE(migrate(*db, schema_migrations()));
  CHECK(*schema_version(*db) == schema_migrations().back().version);
  CHECK(table_exists(*db, "users"));
  CHECK(table_exists(*db, "version_chunks"));
  CHECK(table_exists(*db, "grants"));
  REQUIRE(migrate(*db, schema_migrations()));  // idempotent
}

TEST_CASE("an old data directory is upgraded step by step, keeping its rows") {
  TempDir dir;
  auto db = open_db(dir.path() / "coffer.db");
  const auto all = schema_migrations();
  REQUIRE(migrate(*db, all.first(1)));
  CHECK(*schema_version(*db) == all.front().version);
  CHECK_FALSE(table_exists(*db, "nodes"));
  REQUIRE(db->exec("INSERT INTO settings (name, value) VALUES ('kept', 'yes')"));
  REQUIRE(migrate(*db, all));
  CHECK(*schema_version(*db) == all.back().version);
  CHECK(table_exists(*db, "nodes"));
  auto query = db->query("SELECT value FROM settings WHERE name = 'kept'");
  REQUIRE(query);
  REQUIRE(query->next());
  CHECK(query->text(0) == "yes");
}

TEST_CASE("a database from a newer binary is refused with a clear message") {
  TempDir dir;
  {
    auto db = open_db(dir.path() / "coffer.db");
    REQUIRE(migrate(*db, schema_migrations()));
    REQUIRE(db->exec("PRAGMA user_version = 999"));
  }
  auto store = SqliteMetadataStore::open(dir.path() / "coffer.db", {});
  REQUIRE_FALSE(store);
  CHECK(store.error().code == coffer::Errc::unsupported);
  CHECK(store.error().message.find("schema version 999") != std::string::npos);
  CHECK(store.error().message.find("newer cofferd") != std::string::npos);
}

TEST_CASE("a data directory of a format this binary no longer reads is refused, not misread") {
  TempDir dir;
  {
    auto db = open_db(dir.path() / "coffer.db");
    REQUIRE(db->exec("CREATE TABLE nodes (id TEXT PRIMARY KEY) STRICT; PRAGMA user_version = 2"));
  }
  auto store = SqliteMetadataStore::open(dir.path() / "coffer.db", {});
  REQUIRE_FALSE(store);
  CHECK(store.error().code == coffer::Errc::unsupported);
  CHECK(store.error().message.find("schema version 2") != std::string::npos);
  CHECK(store.error().message.find("no longer reads") != std::string::npos);
  auto db = open_db(dir.path() / "coffer.db");
  CHECK(*schema_version(*db) == 2);  // left as it was
}

TEST_CASE("a data directory that may hold format-2 manifests (schema 5) is refused at start") {
  TempDir dir;
  {
    auto db = open_db(dir.path() / "coffer.db");
    const auto all = schema_migrations();
    REQUIRE(migrate(*db, all.first(3)));
    REQUIRE(*schema_version(*db) == 5);
  }
  auto store = SqliteMetadataStore::open(dir.path() / "coffer.db", {});
  REQUIRE_FALSE(store);
  CHECK(store.error().code == coffer::Errc::unsupported);
  CHECK(store.error().message.find("schema version 5") != std::string::npos);
  CHECK(store.error().message.find("version 6 or later") != std::string::npos);
  auto db = open_db(dir.path() / "coffer.db");
  CHECK(*schema_version(*db) == 5);  // left as it was
}

TEST_CASE("a failing step leaves the database at the previous version") {
  TempDir dir;
  auto db = open_db(dir.path() / "coffer.db");
  const Migration steps[] = {{1, "one", "CREATE TABLE a (x INTEGER) STRICT;"},
                             {2, "broken", "CREATE TABLE b (x INTEGER) STRICT; CREATE TABLE a (y INTEGER);"}};
  auto status = migrate(*db, steps);
  REQUIRE_FALSE(status);
  CHECK(status.error().message.find("version 2 (broken)") != std::string::npos);
  CHECK(*schema_version(*db) == 1);
  CHECK_FALSE(table_exists(*db, "b"));
}

TEST_CASE("nodes hold files, folders, symlinks and special files, and nothing else") {
  TempDir dir;
  auto db = open_db(dir.path() / "coffer.db");
  REQUIRE(migrate(*db, schema_migrations()));
  REQUIRE(db->exec("PRAGMA foreign_keys = OFF"));  // no users: only the nodes table is under test
  const auto insert_node = [&](const char* id, int type) {
    auto query = db->query("INSERT INTO nodes (id, owner_id, type, attributes, attributes_revision, created_at) "
                           "VALUES (?1, 1, ?2, 'AAAA', 1, 0)");
    REQUIRE(query);
    query->bind(1, id).bind(2, type);
    return query->run();
  };
  CHECK(insert_node("special", 3));
  CHECK_FALSE(insert_node("unknown", 4));
  auto folder = db->query("SELECT folder_revision, folder_record FROM nodes WHERE id = 'special'");
  REQUIRE(folder);
  REQUIRE(folder->next());
  CHECK(folder->int64(0) == 0);
  CHECK(folder->text(1).empty());
}

TEST_CASE("the quota step recounts the usage of existing data, then keeps it and guards it") {
  TempDir dir;
  auto db = open_db(dir.path() / "coffer.db");
  const auto all = schema_migrations();
  REQUIRE(migrate(*db, all.first(2)));  // schema version 4: usage counted blobs only
  REQUIRE(db->exec(
      "INSERT INTO users (id, name, admin, created_at, kdf_algorithm, kdf_n, kdf_r, kdf_p, kdf_salt, auth_verifier, "
      "key_bundle, public_key, root_node_id, root_wrapped_key, quota, used) VALUES (1, 'alice', 0, 1, 'scrypt', 1, 1, "
      "1, 's', 'v', 'b', 'p', 'rootrootrootrootrootrootrootroot', 'w', 100000, 10);"
      "INSERT INTO nodes (id, owner_id, type, attributes, attributes_revision, created_at, folder_record) VALUES "
      "('rootrootrootrootrootrootrootroot', 1, 1, 'AAAA', 1, 1, 'RECORD'),"
      "('filefilefilefilefilefilefilefile', 1, 0, 'AAAAAAAA', 1, 1, '');"
      "INSERT INTO entries VALUES ('rootrootrootrootrootrootrootroot', 'tag', 'filefilefilefilefilefilefilefile', "
      "'name', 'key', 1);"
      "INSERT INTO blobs VALUES ('" + std::string(64, 'b') + "', 10, 1);"
      "INSERT INTO user_blobs VALUES (1, '" + std::string(64, 'b') + "');"
      "INSERT INTO versions VALUES ('filefilefilefilefilefilefilefile', 1, 'MANIFEST', 10, 1, 1, 1);"
      "INSERT INTO version_chunks VALUES ('filefilefilefilefilefilefilefile', 1, 0, '" + std::string(64, 'b') + "');"));
  REQUIRE(migrate(*db, all));
  const std::int64_t expected = 10                               // the blob
                                + (32 + 4 + 6) + (32 + 8 + 0)     // two node rows
                                + 2 * (32 + 3 + 32 + 4 + 3)       // the entry, and its entry history row (step 10)
                                + (32 + 8 + 64);                  // the version and its chunk list
  const auto used = [&db] {
    auto query = db->query("SELECT used FROM users WHERE id = 1");
    REQUIRE(query);
    REQUIRE(query->next());
    return query->int64(0);
  };
  CHECK(used() == expected);
  // Kept by the triggers from here on, and guarded.
  REQUIRE(db->exec("UPDATE nodes SET attributes = 'AAAAAAAAAAAA' WHERE id = 'filefilefilefilefilefilefilefile'"));
  REQUIRE(db->exec("UPDATE users SET quota = used WHERE id = 1"));
  auto refused = db->exec("UPDATE nodes SET attributes = 'AAAAAAAAAAAAAAAA' WHERE id = 'filefilefilefilefilefilefilefile'");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == coffer::Errc::quota_exceeded);
  REQUIRE(db->exec("DELETE FROM entries"));  // freeing always goes through; the history keeps its row
  CHECK(used() == expected + 4 - (32 + 3 + 32 + 4 + 3));
}

TEST_CASE("the entry history step starts from the entries present, charged, and follows every change") {
  TempDir dir;
  auto db = open_db(dir.path() / "coffer.db");
  const auto all = schema_migrations();
  REQUIRE(migrate(*db, steps_before(10)));
  REQUIRE(db->exec(
      "INSERT INTO users (id, name, admin, created_at, kdf_algorithm, kdf_n, kdf_r, kdf_p, kdf_salt, auth_verifier, "
      "key_bundle, public_key, root_node_id, root_wrapped_key, quota, used) VALUES (1, 'alice', 0, 1, 'scrypt', 1, 1, "
      "1, 's', 'v', 'b', 'p', 'rootrootrootrootrootrootrootroot', 'w', NULL, 0);"
      "INSERT INTO nodes (id, owner_id, type, attributes, attributes_revision, created_at, folder_record) VALUES "
      "('rootrootrootrootrootrootrootroot', 1, 1, 'AAAA', 1, 1, ''),"
      "('filefilefilefilefilefilefilefile', 1, 0, 'AAAA', 1, 1, '');"
      "INSERT INTO entries VALUES ('rootrootrootrootrootrootrootroot', 'tag', 'filefilefilefilefilefilefilefile', "
      "'name', 'key', 500);"
      "UPDATE users SET quota = 10;"));
  // The quota (10 bytes) is far below the usage: the upgrade still goes through.
  REQUIRE(migrate(*db, all));
  const auto one = [&db](const char* sql) {
    auto query = db->query(sql);
    REQUIRE(query);
    REQUIRE(query->next());
    return query->int64(0);
  };
  CHECK(one("SELECT count(*) FROM entry_history WHERE added_at = 500 AND removed_at IS NULL AND owner_id = 1") == 1);
  CHECK(one("SELECT used FROM users WHERE id = 1") == one("SELECT " COFFER_COUNTED_USAGE("1")));
  REQUIRE(db->exec("UPDATE users SET quota = NULL"));
  REQUIRE(db->exec("DELETE FROM entries"));
  CHECK(one("SELECT count(*) FROM entry_history WHERE removed_at >= 500") == 1);
  REQUIRE(db->exec("INSERT INTO entries VALUES ('rootrootrootrootrootrootrootroot', 'tag', "
                   "'filefilefilefilefilefilefilefile', 'name', 'key', 900)"));
  CHECK(one("SELECT count(*) FROM entry_history WHERE added_at = 900 AND removed_at IS NULL") == 1);
  CHECK(one("SELECT used FROM users WHERE id = 1") == one("SELECT " COFFER_COUNTED_USAGE("1")));
}

TEST_CASE("the sharing step rebuilds grants with the manage role and the granter, and charges them") {
  TempDir dir;
  auto db = open_db(dir.path() / "coffer.db");
  const auto all = schema_migrations();
  REQUIRE(migrate(*db, steps_before(11)));
  REQUIRE(db->exec(
      "INSERT INTO users (id, name, admin, created_at, kdf_algorithm, kdf_n, kdf_r, kdf_p, kdf_salt, auth_verifier, "
      "key_bundle, public_key, root_node_id, root_wrapped_key, quota, used) VALUES "
      "(1, 'alice', 0, 1, 'scrypt', 1, 1, 1, 's', 'v', 'b', 'p', 'rootrootrootrootrootrootrootroot', 'w', NULL, 0),"
      "(2, 'bob', 0, 1, 'scrypt', 1, 1, 1, 's', 'v', 'b', 'p', 'bobrbobrbobrbobrbobrbobrbobrbobr', 'w', NULL, 0);"
      "INSERT INTO nodes (id, owner_id, type, attributes, attributes_revision, created_at, folder_record) VALUES "
      "('rootrootrootrootrootrootrootroot', 1, 1, 'AAAA', 1, 1, ''),"
      "('bobrbobrbobrbobrbobrbobrbobrbobr', 2, 1, 'AAAA', 1, 1, ''),"
      "('filefilefilefilefilefilefilefile', 1, 0, 'AAAA', 1, 1, '');"
      "INSERT INTO entries VALUES ('rootrootrootrootrootrootrootroot', 'tag', 'filefilefilefilefilefilefilefile', "
      "'name', 'key', 500);"
      "INSERT INTO grants (node_id, grantee_id, access, wrapped_key, created_at) VALUES "
      "('filefilefilefilefilefilefilefile', 2, 'write', 'sealedsealed', 7);"
      "UPDATE users SET quota = 10;"));
  REQUIRE(migrate(*db, all));  // over the quota: the recount still goes through
  const auto one = [&db](const char* sql) {
    auto query = db->query(sql);
    REQUIRE(query);
    REQUIRE(query->next());
    return query->int64(0);
  };
  CHECK(one("SELECT count(*) FROM grants WHERE granted_by = 1 AND access = 'write' AND created_at = 7") == 1);
  CHECK(one("SELECT used FROM users WHERE id = 1") == one("SELECT " COFFER_COUNTED_USAGE("1")));
  CHECK(one("SELECT " COFFER_COUNTED_USAGE("1")) - one("SELECT " COFFER_COUNTED_USAGE_BEFORE_GRANTS("1")) ==
        static_cast<std::int64_t>(std::string("filefilefilefilefilefilefilefile").size() + 12));
  REQUIRE(db->exec("UPDATE users SET quota = NULL"));
  CHECK(db->exec("UPDATE grants SET access = 'manage'"));
  CHECK_FALSE(db->exec("UPDATE grants SET access = 'owner'"));
  CHECK_FALSE(db->exec("UPDATE grants SET granted_by = 99"));  // a granter must exist
  REQUIRE(db->exec("UPDATE grants SET wrapped_key = 'longersealedgrant'"));
  CHECK(one("SELECT used FROM users WHERE id = 1") == one("SELECT " COFFER_COUNTED_USAGE("1")));
  REQUIRE(db->exec("DELETE FROM grants"));
  CHECK(one("SELECT used FROM users WHERE id = 1") == one("SELECT " COFFER_COUNTED_USAGE("1")));
}
