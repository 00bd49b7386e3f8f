#include <doctest/doctest.h>
#include <sqlite3.h>

#include <string>

#include "cache/metadata_cache.hpp"
#include "test_mount.hpp"

// The metadata cache's rows as a crash, a bad disk or another login leave them: each row opens
// under this login's key and names its own kind and id, or reads as absent and is deleted.
using namespace coffer;
using cache::MetadataBatch;
using cache::MetadataCache;
using cache::MetadataKey;
using cache::MetadataKind;
using cache::MetadataState;
using coffer::test::TempDir;

namespace {

SecureBytes text(const std::string& s) { return SecureBytes(s.begin(), s.end()); }

std::unique_ptr<MetadataCache> open_cache(const std::filesystem::path& path, const crypto::FernetKey& key) {
  auto cache = MetadataCache::open(path, crypto::FernetKey::from_raw(key.raw()).value());
  REQUIRE_MESSAGE(cache.ok(), (cache.ok() ? "" : cache.error().message));
  return std::move(cache).value();
}

// Runs `sql` on the file behind the cache's back (a bad disk, a torn write, a copied row).
void tamper(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

MetadataBatch two_rows_and_state() {
  MetadataBatch batch;
  batch.puts.emplace_back(MetadataKey{MetadataKind::folder, "f1"}, text("listing of f1"));
  batch.puts.emplace_back(MetadataKey{MetadataKind::node, "n1"}, text("node n1"));
  batch.state = MetadataState{42, true};
  return batch;
}

}  // namespace

TEST_CASE("metadata cache: rows and the state come back as written, across a reopen") {
  TempDir dir;
  const auto path = dir.path() / "metadata.db";
  const auto key = crypto::FernetKey::generate();
  {
    auto cache = open_cache(path, key);
    REQUIRE(cache->write(two_rows_and_state()).ok());
  }
  auto cache = open_cache(path, key);
  CHECK(to_string(*cache->read({MetadataKind::folder, "f1"})) == "listing of f1");
  CHECK(to_string(*cache->read({MetadataKind::node, "n1"})) == "node n1");
  CHECK_FALSE(cache->read({MetadataKind::node, "f1"}));  // kinds are apart
  REQUIRE(cache->state());
  CHECK(cache->state()->cursor == 42);
  CHECK(cache->state()->clean);

  MetadataBatch drop;
  drop.drops.push_back({MetadataKind::folder, "f1"});
  REQUIRE(cache->write(drop).ok());
  CHECK_FALSE(cache->read({MetadataKind::folder, "f1"}));
  CHECK(cache->read({MetadataKind::node, "n1"}));
  REQUIRE(cache->clear().ok());
  CHECK_FALSE(cache->state());
  CHECK_FALSE(cache->read({MetadataKind::node, "n1"}));
}

TEST_CASE("metadata cache: a damaged, torn or moved row is dropped and the others stay") {
  TempDir dir;
  const auto path = dir.path() / "metadata.db";
  const auto key = crypto::FernetKey::generate();
  MetadataBatch batch = two_rows_and_state();
  batch.puts.emplace_back(MetadataKey{MetadataKind::node, "n2"}, text("node n2"));
  batch.puts.emplace_back(MetadataKey{MetadataKind::node, "n3"}, text("node n3"));
  REQUIRE(open_cache(path, key)->write(batch).ok());

  // One token overwritten, another cut short, a third row copied under another id.
  tamper(path, "UPDATE rows SET token = randomblob(length(token)) WHERE id = 'n1'");
  tamper(path, "UPDATE rows SET token = substr(token, 1, length(token) - 7) WHERE id = 'n2'");
  tamper(path, "UPDATE rows SET token = (SELECT token FROM rows WHERE id = 'n3') WHERE id = 'f1'");
  auto cache = open_cache(path, key);
  CHECK_FALSE(cache->read({MetadataKind::node, "n1"}));
  CHECK_FALSE(cache->read({MetadataKind::node, "n2"}));
  CHECK_FALSE(cache->read({MetadataKind::folder, "f1"}));
  CHECK(to_string(*cache->read({MetadataKind::node, "n3"})) == "node n3");
  CHECK(cache->state()->cursor == 42);
  // The dropped rows are gone from the file, not only from the answer.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* count = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT count(*) FROM rows", -1, &count, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(count) == SQLITE_ROW);
  CHECK(sqlite3_column_int(count, 0) == 2);  // n3 and the state
  sqlite3_finalize(count);
  sqlite3_close(db);
}

TEST_CASE("metadata cache: another login's key opens nothing, and the cache is emptied") {
  TempDir dir;
  const auto path = dir.path() / "metadata.db";
  const auto journal_key = crypto::FernetKey::generate();
  const auto mine = MetadataCache::derive_key(journal_key, "http://127.0.0.1:1\n1\naaaa");
  REQUIRE(open_cache(path, mine)->write(two_rows_and_state()).ok());

  // The same journal key (a login over a login keeps it) but another user: another cache key.
  const auto theirs = MetadataCache::derive_key(journal_key, "http://127.0.0.1:1\n2\nbbbb");
  CHECK(theirs.raw().size() == mine.raw().size());
  CHECK_FALSE(std::equal(theirs.raw().begin(), theirs.raw().end(), mine.raw().begin()));
  {
    auto cache = open_cache(path, theirs);
    CHECK_FALSE(cache->state());
    CHECK_FALSE(cache->read({MetadataKind::folder, "f1"}));
  }
  // Emptied, not only unreadable: the right key finds nothing either.
  auto cache = open_cache(path, mine);
  CHECK_FALSE(cache->state());
  CHECK_FALSE(cache->read({MetadataKind::node, "n1"}));
}
