#include <doctest/doctest.h>

#include "server/acl/access_check.hpp"
#include "server/storage/sqlite/sqlite_store.hpp"
#include "tests/server/support/temp_dir.hpp"

using namespace coffer::server::storage;
using coffer::Errc;
using coffer::server::acl::check_access;
using coffer::server::acl::effective_access;
using coffer::test::TempDir;

namespace {

// alice owns root -> docs -> report (file), and root -> photos; bob owns his own root.
struct Tree {
  TempDir dir;
  std::unique_ptr<sqlite::SqliteMetadataStore> store;
  std::unique_ptr<Transaction> txn;
  std::int64_t alice = 0, bob = 0, carol = 0;
  const std::string root = std::string(32, '1'), docs = std::string(32, '2'), report = std::string(32, '3'),
                    photos = std::string(32, '4'), bob_root = std::string(32, '5');

  Tree() {
    store = std::move(*sqlite::SqliteMetadataStore::open(dir.path() / "coffer.db", {}));
    txn = std::move(*store->begin(TransactionMode::write));
    alice = add_user("alice", root);
    bob = add_user("bob", bob_root);
    carol = add_user("carol", std::string(32, '6'));
    add_node(root, alice, NodeType::folder);
    add_node(bob_root, bob, NodeType::folder);
    add_node(docs, alice, NodeType::folder, root, 'a');
    add_node(report, alice, NodeType::file, docs, 'b');
    add_node(photos, alice, NodeType::folder, root, 'c');
  }

  std::int64_t add_user(const std::string& name, const std::string& root_id) {
    UserRecord user;
    user.name = name;
    user.kdf = KdfRecord{"scrypt", 32768, 8, 1, "s"};
    user.root_node_id = root_id;
    return *txn->users().insert(user);
  }

  void add_node(const std::string& id, std::int64_t owner, NodeType type, const std::string& parent = "", char tag = 0) {
    REQUIRE(txn->nodes().insert(NodeRecord{id, owner, type, "attrs", 1, 0, 0, 1, std::nullopt, 0, {}}));
    if (!parent.empty()) REQUIRE(txn->nodes().insert_entry(EntryRecord{parent, std::string(64, tag), id, "n", "k", 1}));
  }

  void grant(const std::string& node, std::int64_t user, Access access) {
    REQUIRE(txn->grants().upsert(GrantRecord{node, user, access, "sealed", 1, alice}));
  }

  Errc refusal(std::int64_t user, const std::string& node, Access need) {
    auto result = check_access(*txn, user, node, need);
    REQUIRE_FALSE(result.ok());
    return result.error().code;
  }
};

}  // namespace

TEST_CASE("the owner may read and write everything in their tree") {
  Tree t;
  for (const auto& node : {t.root, t.docs, t.report, t.photos}) {
    CHECK(check_access(*t.txn, t.alice, node, Access::write).ok());
  }
}

TEST_CASE("without a grant another user sees 404, never 403") {
  Tree t;
  for (const auto& node : {t.root, t.docs, t.report, t.photos}) {
    CHECK(t.refusal(t.bob, node, Access::read) == Errc::not_found);
    CHECK(t.refusal(t.bob, node, Access::write) == Errc::not_found);
  }
  CHECK(t.refusal(t.alice, t.bob_root, Access::read) == Errc::not_found);
  CHECK(t.refusal(t.alice, std::string(32, 'f'), Access::read) == Errc::not_found);  // no such node
}

TEST_CASE("a read grant on a folder covers what is below it, for reading only") {
  Tree t;
  t.grant(t.docs, t.bob, Access::read);
  CHECK(check_access(*t.txn, t.bob, t.docs, Access::read).ok());
  CHECK(check_access(*t.txn, t.bob, t.report, Access::read).ok());
  CHECK(t.refusal(t.bob, t.report, Access::write) == Errc::permission_denied);
  CHECK(t.refusal(t.bob, t.root, Access::read) == Errc::not_found);    // not above the grant
  CHECK(t.refusal(t.bob, t.photos, Access::read) == Errc::not_found);  // nor beside it
  CHECK(t.refusal(t.carol, t.report, Access::read) == Errc::not_found);  // nor for someone else
  CHECK(*effective_access(*t.txn, t.bob, **t.txn->nodes().find(t.report)) == Access::read);
}

TEST_CASE("a write grant allows writing below it, and the strongest grant wins") {
  Tree t;
  t.grant(t.root, t.bob, Access::read);
  t.grant(t.docs, t.bob, Access::write);
  CHECK(check_access(*t.txn, t.bob, t.report, Access::write).ok());
  CHECK(t.refusal(t.bob, t.photos, Access::write) == Errc::permission_denied);
  CHECK(check_access(*t.txn, t.bob, t.photos, Access::read).ok());
}

TEST_CASE("a hard link inside a shared folder is covered through that entry") {
  Tree t;
  REQUIRE(t.txn->nodes().insert_entry(EntryRecord{t.photos, std::string(64, 'd'), t.report, "n", "k", 1}));
  t.grant(t.photos, t.bob, Access::read);
  CHECK(check_access(*t.txn, t.bob, t.report, Access::read).ok());
  CHECK(t.refusal(t.bob, t.docs, Access::read) == Errc::not_found);
}

TEST_CASE("revoking the grant takes the access away") {
  Tree t;
  t.grant(t.docs, t.bob, Access::write);
  REQUIRE(check_access(*t.txn, t.bob, t.report, Access::write).ok());
  REQUIRE(t.txn->grants().remove(t.docs, t.bob));
  CHECK(t.refusal(t.bob, t.report, Access::read) == Errc::not_found);
}

TEST_CASE("roles are ordered read < write < manage; the owner has manage") {
  Tree t;
  CHECK(check_access(*t.txn, t.alice, t.report, Access::manage).ok());
  t.grant(t.docs, t.bob, Access::write);
  CHECK(t.refusal(t.bob, t.report, Access::manage) == Errc::permission_denied);
  t.grant(t.root, t.bob, Access::manage);
  CHECK(check_access(*t.txn, t.bob, t.report, Access::manage).ok());
  CHECK(*effective_access(*t.txn, t.bob, **t.txn->nodes().find(t.docs)) == Access::manage);
  CHECK(*effective_access(*t.txn, t.alice, **t.txn->nodes().find(t.docs)) == Access::manage);
  t.grant(t.docs, t.carol, Access::manage);
  CHECK(check_access(*t.txn, t.carol, t.report, Access::write).ok());
  CHECK(t.refusal(t.carol, t.photos, Access::read) == Errc::not_found);
}

TEST_CASE("a node in the trash is reached through the folder that last held it") {
  Tree t;
  t.grant(t.docs, t.bob, Access::read);
  const EntryRecord entry{t.docs, std::string(64, 'b'), t.report, "n", "k", 1};
  REQUIRE(t.txn->nodes().remove_entry(entry.parent_id, entry.name_tag));
  REQUIRE(t.txn->nodes().set_trashed(t.report, 5));
  REQUIRE(t.txn->nodes().insert_trash(TrashRecord{t.report, 5, entry}));
  CHECK(check_access(*t.txn, t.bob, t.report, Access::read).ok());
  CHECK(t.refusal(t.carol, t.report, Access::read) == Errc::not_found);
  REQUIRE(t.txn->grants().remove(t.docs, t.bob));
  CHECK(t.refusal(t.bob, t.report, Access::read) == Errc::not_found);
}
