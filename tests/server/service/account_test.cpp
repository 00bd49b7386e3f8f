// Account changes that need the proof of the password, on the services without HTTP:
// revoking the other sessions and deleting the account (docs/api.md, "Proof of the password").
#include <doctest/doctest.h>

#include <algorithm>

#include "tests/server/support/service_world.hpp"

using namespace coffer::server;
namespace protocol = coffer::protocol;
using coffer::Errc;
using coffer::test::blob_id_of;
using coffer::test::hex_id;

namespace {

const std::string kAliceKey = coffer::test::kTestKey;
const std::string kBobKey = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const service::Actor kActor = coffer::test::kTestActor;
const std::string kWrongKey = "AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

ServerConfig slow_backoff() {
  ServerConfig config;
  config.login_backoff.base_delay = std::chrono::seconds(600);  // no wall-clock race below
  return config;
}

// The shared world plus bob (root "bbb..."), each logged in once.
struct World : coffer::test::ServiceWorld {
  service::Caller bob;

  explicit World(bool alice_admin = false) : ServiceWorld(slow_backoff(), alice_admin) {
    add_user("bob", false, kBobKey, 'b');
    bob = *services->auth.authenticate(token_of("bob", kBobKey), "127.0.0.1");
  }

  bool live(const std::string& token) { return services->auth.authenticate(token, "127.0.0.1").ok(); }

  void put(const service::Caller& caller, const std::string& data) { REQUIRE(put_as(caller, data)); }
  // A file in alice's root whose first version lists `chunks`.
  void alice_file(const std::vector<std::string>& chunks) {
    protocol::CreateNodeRequest request{hex_id('1'), "file", hex_id('a'), "gAAAAA==", hex_id('1', 64),
                                        kAliceKey, "AAAA", 1};
    REQUIRE(services->nodes.create(alice, request, {protocol::FolderUpdate{hex_id('a'), 1, 2, "AAAA"}}));
    std::vector<std::string> ids;
    for (const auto& chunk : chunks) ids.push_back(blob_id_of(chunk));
    REQUIRE(services->content.commit(alice, hex_id('1'), protocol::CommitRequest{0, 1, "AAAA", ids, {}}));
  }
  bool stored(const std::string& data) { return *blobs->contains(blob_id_of(data)); }
  std::vector<std::string> events(const std::string& user) {
    std::vector<std::string> names;
    auto audit = services->admin.audit(0, 1000);
    REQUIRE(audit);
    for (const auto& event : audit->events) {
      if (event.user == user) names.push_back(event.event);
    }
    return names;
  }
  bool has_event(const std::string& user, const std::string& name) {
    auto all = events(user);
    return std::find(all.begin(), all.end(), name) != all.end();
  }
};

}  // namespace

TEST_CASE("ending the other sessions needs the proof and keeps the caller's session") {
  World w;
  const std::string phone = w.token_of("alice", kAliceKey);
  auto refused = w.services->auth.revoke_other_sessions(w.alice, protocol::PasswordProof{kWrongKey});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == Errc::proof_failed);
  CHECK(w.live(phone));
  CHECK(w.has_event("alice", "sessions_revoke_refused"));

  const std::string bobs_phone = w.token_of("bob", kBobKey);
  auto revoked = w.services->auth.revoke_other_sessions(w.alice, protocol::PasswordProof{kAliceKey});
  REQUIRE(revoked);
  CHECK(revoked->revoked == 1);
  CHECK_FALSE(w.live(phone));
  CHECK(w.services->auth.sessions(w.alice)->sessions.size() == 1);  // the caller's own
  CHECK(w.live(bobs_phone));                                         // another user's stay
  CHECK(w.has_event("alice", "sessions_revoked"));
}

TEST_CASE("wrong proofs of a revocation count in the login backoff") {
  World w;
  for (int i = 0; i < 6; ++i) {
    CHECK(w.services->auth.revoke_other_sessions(w.alice, protocol::PasswordProof{kWrongKey}).error().code ==
          Errc::proof_failed);
  }
  auto blocked = w.services->auth.revoke_other_sessions(w.alice, protocol::PasswordProof{kAliceKey});
  CHECK(blocked.error().code == Errc::rate_limited);
  CHECK(blocked.details().contains("retry_after"));
}

TEST_CASE("deleting an account needs its name and the proof; a refusal changes nothing") {
  World w;
  w.put(w.alice, "alice's chunk");
  auto misnamed = w.services->auth.delete_account(w.alice, protocol::AccountDeletion{kAliceKey, "bob"});
  REQUIRE_FALSE(misnamed);
  CHECK(misnamed.error().code == Errc::invalid_argument);
  auto wrong = w.services->auth.delete_account(w.alice, protocol::AccountDeletion{kWrongKey, "alice"});
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().code == Errc::proof_failed);
  CHECK(w.has_event("alice", "account_delete_refused"));
  CHECK(w.live(w.alice_token));
  CHECK(w.stored("alice's chunk"));
  CHECK(w.services->auth.login(protocol::LoginRequest{"alice", kAliceKey, "x"}, "127.0.0.9"));
}

TEST_CASE("deleting an account removes its rows and the blobs nobody else needs") {
  World w;
  w.put(w.alice, "only alice's");
  w.put(w.alice, "held by both");
  w.put(w.bob, "held by both");
  w.put(w.alice, "held, never listed");
  w.alice_file({"only alice's", "held by both"});
  REQUIRE(w.services->auth.delete_account(w.alice, protocol::AccountDeletion{kAliceKey, "alice"}));

  CHECK_FALSE(w.live(w.alice_token));
  CHECK_FALSE(w.services->auth.login(protocol::LoginRequest{"alice", kAliceKey, "x"}, "127.0.0.9"));
  CHECK_FALSE(w.stored("only alice's"));
  CHECK_FALSE(w.stored("held, never listed"));
  CHECK(w.stored("held by both"));
  CHECK(w.services->content.open_blob(w.bob, blob_id_of("held by both")));
  auto stats = w.services->admin.stats();
  CHECK(stats->users == 1);
  CHECK(stats->nodes == 1);  // bob's root
  CHECK(stats->versions == 0);
  CHECK(stats->blobs == 1);
  CHECK(w.has_event("alice", "account_deleted"));
  auto txn = w.metadata->begin(storage::TransactionMode::read);
  REQUIRE(txn);
  CHECK(*(*txn)->users().counted_usage(w.bob.user_id) == (*(*txn)->users().find_by_id(w.bob.user_id))->used);
  CHECK_FALSE((*txn)->users().find_by_name("alice")->has_value());
}

TEST_CASE("the only enabled admin cannot delete their account") {
  World w(true);
  auto refused = w.services->auth.delete_account(w.alice, protocol::AccountDeletion{kAliceKey, "alice"});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == Errc::last_admin);
  CHECK(w.services->auth.account(w.alice));
  w.add_user("carol", true, kBobKey, 'c');
  REQUIRE(w.services->admin.set_disabled(kActor, "carol", true));
  CHECK(w.services->auth.delete_account(w.alice, protocol::AccountDeletion{kAliceKey, "alice"}).error().code ==
        Errc::last_admin);
  REQUIRE(w.services->admin.set_disabled(kActor, "carol", false));
  CHECK(w.services->auth.delete_account(w.alice, protocol::AccountDeletion{kAliceKey, "alice"}));
}
