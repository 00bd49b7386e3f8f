// SqliteTrash: purging a trashed tree with the usage triggers, and what it leaves to gc.
#include <doctest/doctest.h>

#include "server/storage/sqlite/sqlite_store.hpp"
#include "tests/server/support/temp_dir.hpp"

using namespace coffer::server::storage;
using coffer::test::TempDir;

namespace {

const std::string kRoot(32, '0');
const std::string kFolder(32, 'f');
const std::string kFile(32, '1');
const std::string kKept(32, '2');
const std::string kShared(64, 'a');
const std::string kOnly(64, 'b');

UserRecord owner() {
  UserRecord user;
  user.name = "alice";
  user.kdf = KdfRecord{"scrypt", 32768, 8, 1, "c2FsdHNhbHRzYWx0c2FsdA=="};
  user.auth_verifier = "verifier";
  user.key_bundle = "bundle";
  user.public_key = "pub";
  user.root_node_id = kRoot;
  user.root_wrapped_key = "wrapped";
  return user;
}

NodeRecord node(const std::string& id, std::int64_t owner_id, NodeType type, std::optional<std::int64_t> trashed) {
  return NodeRecord{id, owner_id, type, "attributes", 1, 0, 0, 1, trashed, 0, {}};
}

// root/ holds kKept (listing kShared); the trash holds kFolder, and kFile that was in it
// (listing kShared and kOnly in two versions).
std::int64_t fill(Transaction& txn) {
  const auto alice = *txn.users().insert(owner());
  REQUIRE(txn.nodes().insert(node(kRoot, alice, NodeType::folder, std::nullopt)));
  REQUIRE(txn.nodes().insert(node(kKept, alice, NodeType::file, std::nullopt)));
  REQUIRE(txn.nodes().insert_entry(EntryRecord{kRoot, std::string(64, '2'), kKept, "n", "k", 1}));
  REQUIRE(txn.nodes().insert(node(kFolder, alice, NodeType::folder, 50)));
  REQUIRE(txn.nodes().insert_trash(TrashRecord{kFolder, 50, EntryRecord{kRoot, std::string(64, 'f'), kFolder, "n", "k", 1}}));
  REQUIRE(txn.nodes().insert(node(kFile, alice, NodeType::file, 40)));
  REQUIRE(txn.nodes().insert_trash(TrashRecord{kFile, 40, EntryRecord{kFolder, std::string(64, '1'), kFile, "n", "k", 1}}));
  REQUIRE(txn.content().insert_blob(kShared, 100, 1));
  REQUIRE(txn.content().insert_blob(kOnly, 30, 1));
  REQUIRE(txn.content().insert_version(VersionRecord{kKept, 1, "m", 100, 1, 1, alice, "laptop"}, {kShared}));
  REQUIRE(txn.content().insert_version(VersionRecord{kFile, 1, "m", 100, 1, 1, alice, std::nullopt}, {kShared}));
  REQUIRE(txn.content().insert_version(VersionRecord{kFile, 2, "m", 30, 1, 1, alice, std::nullopt}, {kOnly}));
  return alice;
}

}  // namespace

TEST_CASE("purging a trashed folder takes the trashed nodes below it; gc is left the blobs nothing lists") {
  TempDir dir;
  auto store = std::move(*sqlite::SqliteMetadataStore::open(dir.path() / "coffer.db", {}));
  auto txn = std::move(*store->begin(TransactionMode::write));
  const auto alice = fill(*txn);
  CHECK(*txn->trash().trashed_before(alice, 45, 10) == std::vector<std::string>{kFile});
  CHECK(*txn->trash().trashed_before(std::nullopt, std::nullopt, 10) == std::vector<std::string>{kFile, kFolder});
  CHECK(txn->trash().list(alice + 1, "", 10)->empty());
  auto purged = txn->trash().purge({kFolder, kKept});  // kKept is live: skipped
  REQUIRE(purged);
  REQUIRE(purged->nodes.size() == 2);
  CHECK(purged->versions == 2);
  CHECK(purged->unreferenced_blobs == 1);  // kShared is still listed by kKept
  CHECK(purged->unreferenced_bytes == 30);
  CHECK_FALSE(txn->nodes().find(kFile)->has_value());
  CHECK_FALSE(txn->nodes().find(kFolder)->has_value());
  CHECK(txn->nodes().find(kKept)->has_value());
  CHECK(txn->trash().list(alice, "", 10)->empty());
  CHECK(*txn->content().blob_size(kOnly) == 30u);  // the row and file are gc's
  CHECK((*txn->users().find_by_id(alice))->used == *txn->users().counted_usage(alice));
  auto versions = txn->content().list_versions(kKept);
  CHECK(versions->at(0).device == std::optional<std::string>("laptop"));
  REQUIRE(txn->commit());
}
