// Sharing on the services without HTTP (docs/api.md, "Sharing"): who may grant, change, revoke
// and list, every refusal of the contract, the `shared`/`unshared` rows of the grantee's feed,
// the audit records, and the grants a disabled or deleted account takes with it.
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/server/support/service_world.hpp"

using namespace coffer::server;
namespace protocol = coffer::protocol;
using coffer::Errc;

namespace {

using coffer::test::blob_id_of;
using coffer::test::hex_id;
const std::string kKey = coffer::test::kTestKey;
const std::string kSealed = coffer::test::b64(std::string(48, 's'));

// alice's root holds folder D ('d...') with folder S ('5...') and file F ('f...') in it, and a
// symlink L ('7...'); bob, carol and dave are logged in.
struct World : coffer::test::ServiceWorld {
  const std::string docs = hex_id('d');
  const std::string sub = hex_id('5');
  const std::string file = hex_id('f');
  const std::string link = hex_id('7');
  service::Caller bob, carol, dave;

  World() {
    auto updates = root_update(root_revision());
    updates.push_back(protocol::FolderUpdate{docs, 0, 1, "AAAA"});
    REQUIRE(services->nodes.create(alice, node("folder", docs, 'd'), updates));
    auto in_docs = node("folder", sub, '5');
    in_docs.parent_id = docs;
    auto sub_updates = folder_update(docs);
    sub_updates.push_back(protocol::FolderUpdate{sub, 0, 1, "AAAA"});
    REQUIRE(services->nodes.create(alice, in_docs, sub_updates));
    auto file_request = node("file", file, 'f');
    file_request.parent_id = docs;
    REQUIRE(services->nodes.create(alice, file_request, folder_update(docs)));
    REQUIRE(services->nodes.create(alice, node("symlink", link, '7'), root_update(root_revision())));
    bob = login("bob", 'b');
    carol = login("carol", 'c');
    dave = login("dave", 'e');
  }

  service::Caller login(const std::string& name, char root) {
    add_user(name, false, kKey, root);
    return *services->auth.authenticate(token_of(name, kKey), "127.0.0.1");
  }
  std::vector<protocol::FolderUpdate> folder_update(const std::string& id) {
    const auto base = services->nodes.get(alice, id)->folder_revision;
    return {protocol::FolderUpdate{id, base, base + 1, "AAAA"}};
  }
  service::Outcome<service::ShareService::Granted> grant(const service::Caller& by, const std::string& node,
                                                         const std::string& grantee, const std::string& role) {
    return services->shares.grant(by, protocol::ShareRequest{node, grantee, role, kSealed});
  }
  Errc refusal(const service::Caller& by, const std::string& node, const std::string& grantee,
               const std::string& role = "read") {
    auto granted = grant(by, node, grantee, role);
    REQUIRE_FALSE(granted);
    return granted.error().code;
  }
  std::vector<std::string> kinds(const service::Caller& who, const std::string& node) {
    auto page = services->changes.changes(who, 0, std::chrono::seconds(0));
    REQUIRE(page);
    std::vector<std::string> out;
    for (const auto& change : page->changes) {
      if (change.node_id == node) out.push_back(change.kind);
    }
    return out;
  }
  // Only the `shared` and `unshared` rows of the node in the user's feed.
  std::vector<std::string> grant_kinds(const service::Caller& who, const std::string& node) {
    std::vector<std::string> out;
    for (auto& kind : kinds(who, node)) {
      if (kind == "shared" || kind == "unshared") out.push_back(std::move(kind));
    }
    return out;
  }
  std::vector<std::string> audit_events() {
    std::vector<std::string> events;
    auto audit = services->admin.audit(0, 1000);
    REQUIRE(audit);
    for (const auto& event : audit->events) {
      if (event.event.find("share") != std::string::npos) events.push_back(event.event + " " + event.detail);
    }
    return events;
  }
  bool reads(const service::Caller& who, const std::string& node) { return services->nodes.get(who, node).ok(); }
};

}  // namespace

TEST_CASE("the owner grants; the same grant again changes it and keeps its time") {
  World w;
  auto created = w.grant(w.alice, w.docs, "bob", "read");
  REQUIRE(created);
  CHECK(created->created);
  CHECK(created->share.owner == "alice");
  CHECK(created->share.granted_by == "alice");
  CHECK(created->share.sealed_key == kSealed);
  REQUIRE(created->share.path.size() == 1);
  CHECK(created->share.path[0].parent_id == hex_id('a'));
  CHECK(created->share.path[0].node.node_id == w.docs);
  CHECK(w.reads(w.bob, w.file));
  CHECK_FALSE(w.reads(w.bob, hex_id('a')));
  CHECK_FALSE(w.reads(w.bob, w.link));
  auto changed = w.grant(w.alice, w.docs, "bob", "write");
  REQUIRE(changed);
  CHECK_FALSE(changed->created);
  CHECK(changed->share.role == "write");
  CHECK(changed->share.created_at == created->share.created_at);
  CHECK(w.grant_kinds(w.bob, w.docs) == std::vector<std::string>{"shared", "shared"});
  const auto owner_kinds = w.kinds(w.alice, w.docs);
  CHECK(std::find(owner_kinds.begin(), owner_kinds.end(), "shared") == owner_kinds.end());
  auto events = w.audit_events();
  REQUIRE(events.size() == 2);
  CHECK(events[0] == "share_granted node=" + w.docs + " grantee=bob role=read by=alice");
  CHECK(events[1] == "share_changed node=" + w.docs + " grantee=bob role=write by=alice");
}

TEST_CASE("every refusal of a grant, with its code") {
  World w;
  CHECK(w.refusal(w.bob, w.docs, "carol") == Errc::not_found);               // cannot read it
  CHECK(w.refusal(w.alice, hex_id('9'), "bob") == Errc::not_found);           // no such node
  CHECK(w.refusal(w.alice, hex_id('a'), "bob") == Errc::invalid_argument);    // the root folder
  CHECK(w.refusal(w.alice, w.link, "bob") == Errc::invalid_argument);         // a symlink
  CHECK(w.refusal(w.alice, w.docs, "alice") == Errc::invalid_argument);       // oneself
  CHECK(w.refusal(w.alice, w.docs, "nobody") == Errc::not_found);             // no such user
  REQUIRE(w.services->admin.set_disabled(coffer::test::kTestActor, "dave", true));
  CHECK(w.refusal(w.alice, w.docs, "dave") == Errc::not_found);               // disabled
  REQUIRE(w.services->admin.invite(coffer::test::kTestActor, "frank", false));
  CHECK(w.refusal(w.alice, w.docs, "frank") == Errc::not_found);              // pending
  REQUIRE(w.grant(w.alice, w.docs, "bob", "read"));
  CHECK(w.refusal(w.bob, w.docs, "carol") == Errc::permission_denied);        // read cannot share
  REQUIRE(w.grant(w.alice, w.docs, "bob", "write"));
  CHECK(w.refusal(w.bob, w.sub, "carol") == Errc::permission_denied);         // nor write
  REQUIRE(w.grant(w.alice, w.docs, "bob", "manage"));
  CHECK(w.refusal(w.bob, w.sub, "alice") == Errc::invalid_argument);          // the owner
  CHECK(w.refusal(w.bob, w.sub, "bob") == Errc::invalid_argument);            // the manager themself
  REQUIRE(w.services->nodes.remove(w.alice, w.docs, hex_id('f', 64), w.folder_update(w.docs)));
  CHECK(w.refusal(w.alice, w.file, "carol") == Errc::not_found);              // in the trash
  CHECK(w.audit_events().size() == 3);  // only the three grants to bob
}

TEST_CASE("a grant is charged to the node's owner, and refused past the owner's quota") {
  World w;
  auto used = [&w](const service::Caller& who) { return w.services->content.usage(who)->used; };
  const auto before = used(w.alice);
  REQUIRE(w.grant(w.alice, w.docs, "bob", "manage"));
  CHECK(used(w.alice) == before + w.docs.size() + kSealed.size());
  const auto bob_before = used(w.bob);
  REQUIRE(w.grant(w.bob, w.sub, "carol", "read"));
  CHECK(used(w.bob) == bob_before);
  REQUIRE(w.services->admin.set_quota(coffer::test::kTestActor, "alice", used(w.alice)));
  auto refused = w.grant(w.alice, w.docs, "carol", "read");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == Errc::quota_exceeded);
  CHECK(refused.details().contains("quota"));
  auto by_manager = w.grant(w.bob, w.sub, "dave", "read");
  REQUIRE_FALSE(by_manager);
  CHECK(by_manager.error().code == Errc::quota_exceeded);
  CHECK_FALSE(by_manager.details().contains("quota"));  // the owner's numbers stay the owner's
}

TEST_CASE("revoking: by a manager or by the grantee leaving; others are refused") {
  World w;
  REQUIRE(w.grant(w.alice, w.docs, "bob", "read"));
  REQUIRE(w.grant(w.alice, w.docs, "carol", "write"));
  CHECK(w.services->shares.revoke(w.dave, w.docs, "bob").error().code == Errc::not_found);        // outsider
  CHECK(w.services->shares.revoke(w.carol, w.docs, "bob").error().code == Errc::permission_denied);  // write
  CHECK(w.services->shares.revoke(w.alice, w.docs, "dave").error().code == Errc::not_found);      // no grant
  CHECK(w.services->shares.revoke(w.alice, w.docs, "nobody").error().code == Errc::not_found);
  REQUIRE(w.services->shares.revoke(w.bob, w.docs, "bob"));  // leaving
  CHECK_FALSE(w.reads(w.bob, w.file));
  REQUIRE(w.services->shares.revoke(w.alice, w.docs, "carol"));
  CHECK_FALSE(w.reads(w.carol, w.file));
  CHECK(w.grant_kinds(w.bob, w.docs) == std::vector<std::string>{"shared", "unshared"});
  CHECK(w.grant_kinds(w.carol, w.docs) == std::vector<std::string>{"shared", "unshared"});
  auto events = w.audit_events();
  REQUIRE(events.size() == 4);
  CHECK(events[2] == "share_revoked node=" + w.docs + " grantee=bob role=read by=bob");
  CHECK(events[3] == "share_revoked node=" + w.docs + " grantee=carol role=write by=alice");
}

TEST_CASE("a manager shares below their node and lists what they gave, with the path from their node") {
  World w;
  REQUIRE(w.grant(w.alice, w.docs, "bob", "manage"));
  auto given = w.grant(w.bob, w.sub, "carol", "write");
  REQUIRE(given);
  CHECK(given->share.granted_by == "bob");
  REQUIRE(given->share.path.size() == 1);
  CHECK(given->share.path[0].parent_id == w.docs);
  CHECK(w.reads(w.carol, w.sub));
  CHECK_FALSE(w.reads(w.carol, w.docs));
  auto bob_lists = w.services->shares.list(w.bob);
  REQUIRE(bob_lists);
  REQUIRE(bob_lists->outgoing.size() == 1);
  CHECK(bob_lists->outgoing[0].grantee == "carol");
  REQUIRE(bob_lists->incoming.size() == 1);
  CHECK(bob_lists->incoming[0].node_id == w.docs);
  CHECK(bob_lists->incoming[0].path.empty());
  auto alice_lists = w.services->shares.list(w.alice);
  REQUIRE(alice_lists->outgoing.size() == 2);
  CHECK(alice_lists->outgoing[0].node_id < alice_lists->outgoing[1].node_id);  // ordered by node
  for (const auto& share : alice_lists->outgoing) CHECK(share.path.front().parent_id == hex_id('a'));
  CHECK(alice_lists->incoming.empty());
  // A manager may revoke grants on their node, its owner's included.
  REQUIRE(w.grant(w.alice, w.docs, "dave", "read"));
  REQUIRE(w.services->shares.revoke(w.bob, w.docs, "dave"));
  // Once bob's role is gone, his grant below stays but leaves his outgoing list.
  REQUIRE(w.services->shares.revoke(w.alice, w.docs, "bob"));
  CHECK(w.services->shares.list(w.bob)->outgoing.empty());
  CHECK(w.reads(w.carol, w.sub));
}

TEST_CASE("the feed: shared and unshared reach the grantee only; the owner's changes reach the grantee") {
  World w;
  REQUIRE(w.grant(w.alice, w.docs, "bob", "read"));
  REQUIRE(w.grant(w.alice, w.docs, "carol", "read"));
  // carol reads the node too, but bob's rows stay bob's.
  CHECK(w.grant_kinds(w.carol, w.docs) == std::vector<std::string>{"shared"});
  auto in_docs = w.node("file", hex_id('4'), '4');
  in_docs.parent_id = w.docs;
  REQUIRE(w.services->nodes.create(w.alice, in_docs, w.folder_update(w.docs)));
  CHECK(w.kinds(w.bob, hex_id('4')) == std::vector<std::string>{"created"});
  CHECK(w.kinds(w.dave, hex_id('4')).empty());
  // A node outside the share stays out of bob's feed.
  REQUIRE(w.services->nodes.create(w.alice, w.node("file", hex_id('3'), '3'), w.root_update(w.root_revision())));
  CHECK(w.kinds(w.bob, hex_id('3')).empty());
}

TEST_CASE("a write grantee's commit is held by the owner; a grantee reaches what was deleted in the share") {
  World w;
  REQUIRE(w.grant(w.alice, w.docs, "bob", "write"));
  const std::string data = "bob's chunk";
  REQUIRE(w.put_as(w.bob, data));
  REQUIRE(w.services->content.commit(w.bob, w.file, protocol::CommitRequest{0, 1, "AAAA", {blob_id_of(data)}, {}}));
  {
    auto txn = w.metadata->begin(storage::TransactionMode::read);
    CHECK(*(*txn)->content().holds_blob(w.alice.user_id, blob_id_of(data)));
  }
  CHECK(w.services->content.open_blob(w.alice, blob_id_of(data)));
  REQUIRE(w.services->nodes.remove(w.bob, w.docs, hex_id('f', 64), w.folder_update(w.docs)));
  CHECK(w.reads(w.bob, w.file));  // in the trash, reached through the folder that held it
  CHECK(w.services->content.open_blob(w.bob, blob_id_of(data)));
  CHECK_FALSE(w.reads(w.carol, w.file));
  REQUIRE(w.services->shares.revoke(w.alice, w.docs, "bob"));
  CHECK_FALSE(w.reads(w.bob, w.file));
}

TEST_CASE("disabling or deleting a user revokes their grants; enabling brings none back") {
  World w;
  REQUIRE(w.grant(w.alice, w.docs, "bob", "manage"));
  REQUIRE(w.grant(w.bob, w.sub, "carol", "read"));
  REQUIRE(w.grant(w.alice, w.file, "dave", "read"));
  // bob's own folder shared with carol.
  auto bob_folder = w.node("folder", hex_id('8'), '8');
  bob_folder.parent_id = hex_id('b');
  const auto bob_root = w.services->nodes.get(w.bob, hex_id('b'))->folder_revision;
  REQUIRE(w.services->nodes.create(w.bob, bob_folder, {protocol::FolderUpdate{hex_id('b'), bob_root, bob_root + 1, "AAAA"},
                                                       protocol::FolderUpdate{hex_id('8'), 0, 1, "AAAA"}}));
  REQUIRE(w.services->shares.grant(w.bob, protocol::ShareRequest{hex_id('8'), "carol", "read", kSealed}));
  REQUIRE(w.services->admin.set_disabled(coffer::test::kTestActor, "bob", true));
  // bob's grant and the one on his node are gone; the one he made on alice's node stays.
  CHECK_FALSE(w.reads(w.carol, hex_id('8')));
  CHECK(w.reads(w.carol, w.sub));
  CHECK(w.grant_kinds(w.carol, hex_id('8')) == std::vector<std::string>{"shared", "unshared"});
  REQUIRE(w.services->admin.set_disabled(coffer::test::kTestActor, "bob", false));
  auto bob = *w.services->auth.authenticate(w.token_of("bob", kKey), "127.0.0.1");
  CHECK_FALSE(w.reads(bob, w.docs));
  auto revoked = w.audit_events();
  CHECK(std::count_if(revoked.begin(), revoked.end(), [](const std::string& e) {
          return e.rfind("share_revoked", 0) == 0 && e.find("by=admin") != std::string::npos;
        }) == 2);
  // Deleting bob takes the grant he made too: no grant may name a granter that is gone.
  REQUIRE(w.services->admin.remove_user(coffer::test::kTestActor, "bob"));
  CHECK_FALSE(w.reads(w.carol, w.sub));
  CHECK(w.grant_kinds(w.carol, w.sub) == std::vector<std::string>{"shared", "unshared"});
  CHECK(w.reads(w.dave, w.file));
  CHECK(w.services->shares.admin_list(std::nullopt)->shares.size() == 1);
}

TEST_CASE("the admin lists grants by user without keys, and revokes one") {
  World w;
  REQUIRE(w.grant(w.alice, w.docs, "bob", "manage"));
  REQUIRE(w.grant(w.bob, w.sub, "carol", "read"));
  REQUIRE(w.grant(w.alice, w.file, "dave", "write"));
  CHECK(w.services->shares.admin_list(std::nullopt)->shares.size() == 3);
  auto of_bob = w.services->shares.admin_list(std::string("bob"));
  REQUIRE(of_bob);
  REQUIRE(of_bob->shares.size() == 2);  // as grantee and as granter
  for (const auto& share : of_bob->shares) {
    CHECK_FALSE(share.sealed_key);
    CHECK_FALSE(share.node);
    CHECK(share.path.empty());
  }
  CHECK(w.services->shares.admin_list(std::string("nobody")).error().code == Errc::not_found);
  CHECK(w.services->shares.admin_revoke(coffer::test::kTestActor, w.file, "carol").error().code == Errc::not_found);
  REQUIRE(w.services->shares.admin_revoke(coffer::test::kTestActor, w.file, "dave"));
  CHECK_FALSE(w.reads(w.dave, w.file));
  CHECK(w.grant_kinds(w.dave, w.file) == std::vector<std::string>{"shared", "unshared"});
  auto events = w.audit_events();
  CHECK(events.back() == "admin_share_revoke node=" + w.file + " grantee=dave role=write by=test");
}
