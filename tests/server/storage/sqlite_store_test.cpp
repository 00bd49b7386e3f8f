#include <doctest/doctest.h>

#include "server/storage/sqlite/sqlite_store.hpp"
#include "tests/server/support/temp_dir.hpp"

using namespace coffer::server::storage;
using coffer::Errc;
using coffer::test::TempDir;

namespace {

UserRecord sample_user(const std::string& name) {
  UserRecord user;
  user.name = name;
  user.created_at = 100;
  user.kdf = KdfRecord{"scrypt", 32768, 8, 1, "c2FsdHNhbHRzYWx0c2FsdA=="};
  user.auth_verifier = "verifier";
  user.key_bundle = "bundle";
  user.public_key = "pub";
  user.root_node_id = std::string(31, '0') + name.substr(0, 1);
  user.root_wrapped_key = "wrapped";
  return user;
}

std::unique_ptr<sqlite::SqliteMetadataStore> open_store(const TempDir& dir) {
  auto store = sqlite::SqliteMetadataStore::open(dir.path() / "coffer.db", {});
  REQUIRE(store);
  return std::move(*store);
}

std::unique_ptr<Transaction> begin(MetadataStore& store, TransactionMode mode = TransactionMode::write) {
  auto txn = store.begin(mode);
  REQUIRE(txn);
  return std::move(*txn);
}

}  // namespace

TEST_CASE("users: insert, find, unique names, commit and rollback") {
  TempDir dir;
  auto store = open_store(dir);
  {
    auto txn = begin(*store);
    auto id = txn->users().insert(sample_user("alice"));
    REQUIRE(id);
    auto clash = txn->users().insert(sample_user("alice"));
    REQUIRE_FALSE(clash);
    CHECK(clash.error().code == Errc::already_exists);
    REQUIRE(txn->commit());
  }
  {
    auto txn = begin(*store);
    REQUIRE(txn->users().insert(sample_user("bob")));
    // Destroyed without commit: bob is gone.
  }
  auto txn = begin(*store, TransactionMode::read);
  auto alice = txn->users().find_by_name("alice");
  REQUIRE(alice);
  REQUIRE(alice->has_value());
  CHECK((*alice)->kdf.n == 32768);
  CHECK((*alice)->quota == std::nullopt);
  CHECK_FALSE(txn->users().find_by_name("bob")->has_value());
  CHECK(txn->users().set_quota(999, 5).error().code == Errc::not_found);
}

TEST_CASE("savepoints undo one step and keep the others") {
  TempDir dir;
  auto store = open_store(dir);
  auto txn = begin(*store);
  REQUIRE(txn->begin_savepoint());
  REQUIRE(txn->users().insert(sample_user("kept")));
  REQUIRE(txn->release_savepoint());
  REQUIRE(txn->begin_savepoint());
  REQUIRE(txn->users().insert(sample_user("undone")));
  REQUIRE(txn->rollback_savepoint());
  REQUIRE(txn->commit());
  auto read = begin(*store, TransactionMode::read);
  CHECK(read->users().find_by_name("kept")->has_value());
  CHECK_FALSE(read->users().find_by_name("undone")->has_value());
}

TEST_CASE("blob holdings count each blob once per user") {
  TempDir dir;
  auto store = open_store(dir);
  auto txn = begin(*store);
  auto alice = *txn->users().insert(sample_user("alice"));
  auto bob = *txn->users().insert(sample_user("bob"));
  const std::string blob(64, 'a');
  CHECK(*txn->content().insert_blob(blob, 1000, 1));
  CHECK_FALSE(*txn->content().insert_blob(blob, 1000, 2));  // a second row is ignored
  CHECK(*txn->content().hold_blob(alice, blob));
  CHECK_FALSE(*txn->content().hold_blob(alice, blob));
  CHECK(*txn->content().hold_blob(bob, blob));
  CHECK((*txn->users().find_by_id(alice))->used == 1000);
  CHECK((*txn->users().find_by_id(bob))->used == 1000);
  CHECK(txn->stats(0)->blobs == 1);
  CHECK(txn->stats(0)->bytes == 1000);
}

TEST_CASE("sessions: live listing, revocation, token lookup") {
  TempDir dir;
  auto store = open_store(dir);
  auto txn = begin(*store);
  auto alice = *txn->users().insert(sample_user("alice"));
  REQUIRE(txn->sessions().insert(SessionRecord{"s1", alice, "hash1", "laptop", 10, 10, 1000, std::nullopt}));
  REQUIRE(txn->sessions().insert(SessionRecord{"s2", alice, "hash2", "phone", 20, 20, 1000, std::nullopt}));
  REQUIRE(txn->sessions().insert(SessionRecord{"s3", alice, "hash3", "old", 5, 5, 50, std::nullopt}));
  CHECK(txn->sessions().list_live(alice, 100)->size() == 2);
  CHECK((*txn->sessions().find_by_token_hash("hash2"))->id == "s2");
  CHECK(*txn->sessions().revoke_all(alice, std::string("s2"), 100) == 2);
  auto live = txn->sessions().list_live(std::nullopt, 100);
  REQUIRE(live->size() == 1);
  CHECK(live->front().id == "s2");
  CHECK(txn->sessions().revoke("s1", 101).error().code == Errc::not_found);  // already revoked
}

TEST_CASE("link tokens: a link keeps its newest tokens, the others of it go, another link's stay") {
  TempDir dir;
  auto store = open_store(dir);
  auto txn = begin(*store);
  for (int i = 0; i < 5; ++i) REQUIRE(txn->links().insert_token({"a" + std::to_string(i), "link-a", i, 1000}));
  REQUIRE(txn->links().insert_token({"b0", "link-b", 0, 1000}));
  REQUIRE(txn->links().keep_newest_tokens("link-a", 2));
  for (int i = 0; i < 3; ++i) CHECK_FALSE(*txn->links().find_token("a" + std::to_string(i)));
  CHECK(*txn->links().find_token("a3"));
  CHECK(*txn->links().find_token("a4"));
  CHECK(*txn->links().find_token("b0"));
  REQUIRE(txn->links().keep_newest_tokens("link-a", 2));  // fewer than kept: nothing goes
  CHECK(*txn->links().find_token("a3"));
}

TEST_CASE("deleting a user removes what they own") {
  TempDir dir;
  auto store = open_store(dir);
  auto txn = begin(*store);
  auto alice = *txn->users().insert(sample_user("alice"));
  const std::string root(32, '1');
  const std::string file(32, '2');
  REQUIRE(txn->nodes().insert(NodeRecord{root, alice, NodeType::folder, "a", 1, 0, 0, 1, std::nullopt, 0, {}}));
  REQUIRE(txn->nodes().insert(NodeRecord{file, alice, NodeType::file, "a", 1, 0, 0, 1, std::nullopt, 0, {}}));
  REQUIRE(txn->nodes().insert_entry(EntryRecord{root, std::string(64, 'c'), file, "name", "key", 1}));
  REQUIRE(txn->content().insert_blob(std::string(64, 'b'), 10, 1));
  REQUIRE(txn->content().insert_version(VersionRecord{file, 1, "m", 10, 1, 1, alice, "laptop"}, {std::string(64, 'b')}));
  REQUIRE(txn->sessions().insert(SessionRecord{"s1", alice, "hash1", "laptop", 10, 10, 1000, std::nullopt}));
  // A blob bob holds too stays; one only alice's version listed goes, and its id is returned.
  auto bob = *txn->users().insert(sample_user("bob"));
  const std::string shared(64, 'e');
  REQUIRE(txn->content().insert_blob(shared, 5, 1));
  REQUIRE(txn->content().hold_blob(alice, shared));
  REQUIRE(txn->content().hold_blob(bob, shared));
  auto freed = txn->users().remove(alice);
  REQUIRE(freed);
  CHECK(*freed == std::vector<std::string>{std::string(64, 'b')});
  CHECK_FALSE(txn->content().blob_size(std::string(64, 'b'))->has_value());
  CHECK(*txn->content().blob_size(shared) == 5u);
  CHECK(*txn->content().holds_blob(bob, shared));
  CHECK_FALSE(txn->nodes().find(file)->has_value());
  CHECK_FALSE(txn->sessions().find("s1")->has_value());
  CHECK(txn->content().nodes_referencing(std::string(64, 'b'), 10)->empty());
  REQUIRE(txn->commit());
}

TEST_CASE("grants: upsert keeps the first time, listings carry names, the feed reads the sharers' rows") {
  TempDir dir;
  auto store = open_store(dir);
  auto txn = begin(*store);
  auto alice = *txn->users().insert(sample_user("alice"));
  auto bob = *txn->users().insert(sample_user("bob"));
  auto carol = *txn->users().insert(sample_user("carol"));
  const std::string folder(32, 'f');
  REQUIRE(txn->nodes().insert(NodeRecord{folder, alice, NodeType::folder, "a", 1, 0, 0, 1, std::nullopt, 0, {}}));
  CHECK(*txn->grants().upsert(GrantRecord{folder, bob, Access::read, "sealed1", 10, alice}));
  CHECK_FALSE(*txn->grants().upsert(GrantRecord{folder, bob, Access::manage, "sealed2", 20, alice}));
  auto grant = *txn->grants().find(folder, bob);
  REQUIRE(grant);
  CHECK(grant->access == Access::manage);
  CHECK(grant->wrapped_key == "sealed2");
  CHECK(grant->created_at == 10);
  REQUIRE(*txn->grants().upsert(GrantRecord{folder, carol, Access::write, "sealed3", 30, bob}));
  auto outgoing = *txn->grants().list_outgoing(alice, 100);
  REQUIRE(outgoing.size() == 2);
  CHECK(outgoing[0].grantee == "bob");
  CHECK(outgoing[1].grantee == "carol");
  CHECK(outgoing[1].granted_by == "bob");
  CHECK(outgoing[1].owner == "alice");
  CHECK(txn->grants().list_outgoing(bob, 100)->size() == 1);  // the one bob made
  CHECK(txn->grants().list_incoming(carol, 100)->front().grant.access == Access::write);
  CHECK(txn->grants().list_involving(bob, 100)->size() == 2);
  CHECK(txn->grants().list_involving(std::nullopt, 1)->size() == 1);
  // bob's feed: his own rows and alice's (she shares with him), never carol's.
  for (const auto owner : {alice, bob, carol}) {
    REQUIRE(txn->changes().append(ChangeRecord{0, owner, folder, std::nullopt, "attributes", 1, ""}));
  }
  auto rows = *txn->changes().list_after_for(0, bob, 100);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].owner_id == alice);
  CHECK(rows[1].owner_id == bob);
  CHECK(txn->changes().list_after(0, 100)->size() == 3);
  REQUIRE(txn->grants().remove(folder, bob));
  CHECK(txn->grants().remove(folder, bob).error().code == Errc::not_found);
  CHECK(txn->changes().list_after_for(0, bob, 100)->size() == 1);
}
