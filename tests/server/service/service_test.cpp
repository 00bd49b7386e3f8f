#include <doctest/doctest.h>

#include <chrono>
#include <map>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "server/service/auth_verifier.hpp"
#include "server/service/login_throttle.hpp"
#include "server/service/secrets.hpp"
#include "tests/server/support/service_world.hpp"

using namespace coffer::server;
namespace protocol = coffer::protocol;
using coffer::Errc;

namespace {

using coffer::test::hex_id;
const std::string kKey = coffer::test::kTestKey;
const std::string kOtherKey = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
using World = coffer::test::ServiceWorld;

}  // namespace

TEST_CASE("auth verifiers accept only their key") {
  auto verifier = service::make_auth_verifier(kKey);
  REQUIRE(verifier);
  CHECK(verifier->rfind("scrypt$14$8$1$", 0) == 0);
  CHECK(verifier->find(kKey) == std::string::npos);
  CHECK(service::check_auth_verifier(*verifier, kKey));
  CHECK_FALSE(service::check_auth_verifier(*verifier, kOtherKey));
  CHECK_FALSE(service::check_auth_verifier("scrypt$99$8$1$AAAA$AAAA", kKey));
  CHECK_FALSE(service::check_auth_verifier("garbage", kKey));
  CHECK(*service::make_auth_verifier(kKey) != *verifier);  // a fresh salt each time
}

TEST_CASE("fake salts are stable per name and secret") {
  CHECK(service::fake_salt("secret", "ghost") == service::fake_salt("secret", "ghost"));
  CHECK(service::fake_salt("secret", "ghost") != service::fake_salt("secret", "ghosts"));
  CHECK(service::fake_salt("other", "ghost") != service::fake_salt("secret", "ghost"));
  CHECK(coffer::crypto::base64url_decode(service::fake_salt("secret", "ghost"))->size() == 16);
  CHECK(service::secret_hash("token").size() == 64);
  CHECK(service::new_session_token() != service::new_session_token());
}

TEST_CASE("login backoff doubles after the free failures and resets on success") {
  LoginBackoff policy;
  policy.free_failures = 2;
  policy.base_delay = std::chrono::seconds(10);
  policy.max_delay = std::chrono::seconds(25);
  service::LoginThrottle throttle(policy);
  const service::LoginAttempt a{"a", "10.0.0.1"};
  CHECK(throttle.record_failure(a, 100) == 0);
  CHECK(throttle.record_failure(a, 100) == 0);
  CHECK(throttle.retry_after(a, 100) == 0);
  CHECK(throttle.record_failure(a, 100) == 10);
  CHECK(throttle.retry_after(a, 100) == 10);
  CHECK(throttle.retry_after(a, 105) == 5);
  throttle.record_failure(a, 110);
  CHECK(throttle.retry_after(a, 110) == 20);
  throttle.record_failure(a, 130);
  CHECK(throttle.retry_after(a, 130) == 25);  // capped
  throttle.record_success(a);
  CHECK(throttle.retry_after(a, 130) == 0);
}

TEST_CASE("login backoff: failures from one address do not block the user elsewhere") {
  LoginBackoff policy;
  policy.free_failures = 2;
  policy.address_free_failures = 4;
  policy.base_delay = std::chrono::seconds(10);
  service::LoginThrottle throttle(policy);
  for (int i = 0; i < 3; ++i) throttle.record_failure({"victim", "10.0.0.1"}, 100);
  CHECK(throttle.retry_after({"victim", "10.0.0.1"}, 100) == 10);
  CHECK(throttle.retry_after({"victim", "10.0.0.2"}, 100) == 0);  // the user, elsewhere
  CHECK(throttle.retry_after({"other", "10.0.0.1"}, 100) == 0);   // the address, for another name
  // Many names from one address: the address backs off for every name.
  throttle.record_failure({"x", "10.0.0.1"}, 100);
  CHECK(throttle.retry_after({"fresh", "10.0.0.1"}, 100) == 0);
  CHECK(throttle.record_failure({"y", "10.0.0.1"}, 100) == 10);
  CHECK(throttle.retry_after({"fresh", "10.0.0.1"}, 100) == 10);
  CHECK(throttle.retry_after({"", "10.0.0.1"}, 100) == 10);  // invite redemptions too
  // A success forgets the pair, not the address: a login of one's own buys no guesses.
  throttle.record_success({"fresh", "10.0.0.1"});
  CHECK(throttle.retry_after({"fresh", "10.0.0.1"}, 100) == 10);
}

TEST_CASE("login backoff: a quiet day forgets; memory stays bounded") {
  LoginBackoff policy;
  policy.free_failures = 1;
  policy.base_delay = std::chrono::seconds(10);
  policy.max_delay = std::chrono::seconds(60);
  policy.max_tracked = 50;
  service::LoginThrottle throttle(policy);
  throttle.record_failure({"a", "10.0.0.1"}, 100);
  CHECK(throttle.record_failure({"a", "10.0.0.1"}, 100) == 10);
  CHECK(throttle.record_failure({"a", "10.0.0.1"}, 200) == 20);  // waiting out a block buys nothing
  CHECK(throttle.record_failure({"a", "10.0.0.1"}, 200 + 86401) == 0);  // quiet for a day: fresh
  for (int i = 0; i < 1000; ++i) throttle.record_failure({"n" + std::to_string(i), "10.1." + std::to_string(i) + ".1"}, 300);
  CHECK(throttle.tracked() <= 50);
  // The newest records stay: the last address is still counted.
  CHECK(throttle.record_failure({"n999", "10.1.999.1"}, 300) == 10);
}

TEST_CASE("login backoff groups IPv6 addresses by /64 and reads mapped IPv4") {
  CHECK(service::throttle_address("192.0.2.7") == "192.0.2.7");
  CHECK(service::throttle_address("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64");
  CHECK(service::throttle_address("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64");
  CHECK(service::throttle_address("::ffff:192.0.2.7") == "192.0.2.7");
  CHECK(service::throttle_address("not an address") == "not an address");
  LoginBackoff policy;
  policy.free_failures = 1;
  service::LoginThrottle throttle(policy);
  throttle.record_failure({"a", "2001:db8::1"}, 100);
  throttle.record_failure({"a", "2001:db8::2"}, 100);
  CHECK(throttle.retry_after({"a", "2001:db8::3"}, 100) > 0);
}

TEST_CASE("sessions: authenticate, logout, wrong keys") {
  World w;
  CHECK(w.alice.user == "alice");
  auto bad = w.services->auth.login(protocol::LoginRequest{"alice", kOtherKey, "x"}, "127.0.0.2");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().code == Errc::unauthenticated);
  auto ghost = w.services->auth.login(protocol::LoginRequest{"ghost", kKey, "x"}, "127.0.0.2");
  CHECK(ghost.error().message == bad.error().message);
  CHECK(w.services->auth.authenticate(std::string(64, '0'), "x").error().code == Errc::unauthenticated);
  CHECK(w.services->auth.authenticate("not hex", "x").error().code == Errc::unauthenticated);
  REQUIRE(w.services->auth.logout(w.alice));
  CHECK(w.services->auth.sessions(w.alice)->sessions.empty());
}

TEST_CASE("a password change needs the current auth_key, not only the session") {
  ServerConfig config;
  config.login_backoff.base_delay = std::chrono::seconds(600);  // no wall-clock race below
  World w(config);
  const std::string new_key = "AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  const protocol::KdfParams kdf{"scrypt", 16384, 8, 1, kKey.substr(0, 24)};
  const std::string before = w.services->auth.account(w.alice)->key_bundle;
  protocol::PasswordChange change{kOtherKey, kdf, new_key, "BBBB"};
  for (int i = 0; i < 5; ++i) {
    auto refused = w.services->auth.change_password(w.alice, change);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == Errc::proof_failed);
  }
  CHECK(w.services->auth.account(w.alice)->key_bundle == before);
  CHECK(w.services->auth.login(protocol::LoginRequest{"alice", kKey, "x"}, "127.0.0.9"));
  // The failures count in the login backoff of the caller's address.
  auto sixth = w.services->auth.change_password(w.alice, change);
  CHECK(sixth.error().code == Errc::proof_failed);
  change.current_auth_key = kKey;
  auto blocked = w.services->auth.change_password(w.alice, change);
  CHECK(blocked.error().code == Errc::rate_limited);
  CHECK(blocked.details().contains("retry_after"));
  w.alice.address = "127.0.0.3";  // the same session, from an address without failures
  REQUIRE(w.services->auth.change_password(w.alice, change));
  CHECK(w.services->auth.account(w.alice)->key_bundle == "BBBB");
  CHECK(w.services->auth.login(protocol::LoginRequest{"alice", new_key, "x"}, "127.0.0.9"));
  CHECK_FALSE(w.services->auth.login(protocol::LoginRequest{"alice", kKey, "x"}, "127.0.0.10"));
}

TEST_CASE("a batch applies its ops with the folder records; a failed commit fails alone") {
  World w;
  std::vector<coffer::Result<protocol::BatchOp>> ops;
  ops.emplace_back(protocol::BatchOp(w.file(hex_id('1'), '1')));
  const std::string data = "small file";
  const auto digest = coffer::crypto::sha256(coffer::as_bytes(data));
  const std::string id = coffer::crypto::hex_encode(digest);
  protocol::BatchCommit commit{hex_id('1'), protocol::CommitRequest{0, 1, "AAAA", {id}, {}},
                               {{id, coffer::crypto::base64url_encode(coffer::as_bytes(data))}}};
  ops.emplace_back(protocol::BatchOp(commit));
  commit.node_id = hex_id('7');
  ops.emplace_back(protocol::BatchOp(commit));  // no such node: 404, alone
  const std::uint64_t used_before = w.services->content.usage(w.alice)->used;
  auto results = w.services->batch.run(w.alice, ops, w.root_update(1));
  REQUIRE(results);
  REQUIRE(results->size() == 3);
  CHECK_FALSE((*results)[0].error);
  CHECK_FALSE((*results)[1].error);
  CHECK((*results)[2].error->code == Errc::not_found);
  CHECK(w.services->nodes.get(w.alice, hex_id('1'))->version == 1);
  CHECK(w.root_revision() == 2);
  // The blob, and the new node's rows and version (docs/server.md, "Quota").
  CHECK(w.services->content.usage(w.alice)->used > used_before + data.size());
}

TEST_CASE("the change feed marks the changes of the caller's own session, and only those") {
  World w;
  auto second = w.services->auth.login(protocol::LoginRequest{"alice", coffer::test::kTestKey, "laptop"}, "127.0.0.1");
  REQUIRE(second);
  const auto laptop = *w.services->auth.authenticate(second->token, "127.0.0.1");
  REQUIRE(laptop.session_id != w.alice.session_id);
  REQUIRE(w.create_file(hex_id('1'), '1'));  // by alice's first session
  std::vector<coffer::Result<protocol::BatchOp>> ops;
  ops.emplace_back(protocol::BatchOp(w.file(hex_id('2'), '2')));
  REQUIRE(w.services->batch.run(laptop, ops, w.root_update(w.root_revision())));  // by the laptop's
  auto own_flags = [&](const coffer::server::service::Caller& caller) {
    auto page = w.services->changes.changes(caller, 0, std::chrono::seconds(0));
    REQUIRE(page);
    std::map<std::string, bool> flags;
    for (const auto& change : page->changes) flags[change.node_id] = change.own;
    return flags;
  };
  const auto first_view = own_flags(w.alice);
  CHECK(first_view.at(hex_id('1')));
  CHECK_FALSE(first_view.at(hex_id('2')));
  const auto laptop_view = own_flags(laptop);
  CHECK_FALSE(laptop_view.at(hex_id('1')));
  CHECK(laptop_view.at(hex_id('2')));
}

TEST_CASE("a failed entry op, or one that does not parse, undoes the whole batch") {
  World w;
  std::vector<coffer::Result<protocol::BatchOp>> ops;
  ops.emplace_back(protocol::BatchOp(w.file(hex_id('1'), '1')));
  ops.emplace_back(protocol::BatchOp(w.file(hex_id('2'), '1')));  // same name: 409
  auto results = w.services->batch.run(w.alice, ops, w.root_update(1));
  REQUIRE(results);
  CHECK((*results)[0].error->code == Errc::aborted);
  CHECK((*results)[1].error->code == Errc::already_exists);
  CHECK((*results)[1].details.contains("existing"));
  CHECK(w.services->nodes.get(w.alice, hex_id('1')).error().code == Errc::not_found);
  CHECK(w.root_revision() == 1);
  ops.pop_back();
  ops.emplace_back(coffer::make_error(Errc::invalid_argument, "ops[1]: malformed"));
  results = w.services->batch.run(w.alice, ops, w.root_update(1));
  REQUIRE(results);
  CHECK((*results)[0].error->code == Errc::aborted);
  CHECK((*results)[1].error->code == Errc::invalid_argument);
  CHECK(w.root_revision() == 1);
}

TEST_CASE("folder records: a stale base is a conflict; a missing or needless record is refused") {
  World w;
  std::vector<coffer::Result<protocol::BatchOp>> ops;
  ops.emplace_back(protocol::BatchOp(w.file(hex_id('1'), '1')));
  auto stale = w.services->batch.run(w.alice, ops, w.root_update(0));
  REQUIRE_FALSE(stale);
  CHECK(stale.error().code == Errc::conflict);
  CHECK(stale.details().at("current_revision") == 1);
  auto missing = w.services->batch.run(w.alice, ops, {});
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == Errc::invalid_argument);
  CHECK(missing.error().message.find("carries no new record") != std::string::npos);
  CHECK(w.services->nodes.create(w.alice, w.file(hex_id('1'), '1'), {}).error().code == Errc::invalid_argument);
  REQUIRE(w.services->nodes.create(w.alice, w.file(hex_id('1'), '1'), w.root_update(1)));
  CHECK(w.root_revision() == 2);
  std::vector<coffer::Result<protocol::BatchOp>> no_entries;
  auto needless = w.services->batch.run(w.alice, no_entries, w.root_update(2));
  REQUIRE_FALSE(needless);
  CHECK(needless.error().message.find("does not change the entries") != std::string::npos);
  CHECK(w.root_revision() == 2);
}

TEST_CASE("a folder created in a batch needs its first record, base 0") {
  World w;
  auto folder = w.file(hex_id('4'), '4');
  folder.type = "folder";
  auto child = w.file(hex_id('5'), '5');
  child.parent_id = hex_id('4');
  std::vector<coffer::Result<protocol::BatchOp>> ops;
  ops.emplace_back(protocol::BatchOp(folder));
  ops.emplace_back(protocol::BatchOp(child));
  auto updates = w.root_update(1);
  auto without = w.services->batch.run(w.alice, ops, updates);
  REQUIRE_FALSE(without);
  CHECK(without.error().message.find(hex_id('4')) != std::string::npos);
  updates.push_back(protocol::FolderUpdate{hex_id('4'), 0, 1, "AAAA"});
  auto results = w.services->batch.run(w.alice, ops, updates);
  REQUIRE(results);
  CHECK_FALSE((*results)[1].error);
  CHECK(w.services->nodes.get(w.alice, hex_id('4'))->folder_revision == 1);
}

TEST_CASE("commits check the base version and the chunks") {
  World w;
  REQUIRE(w.services->nodes.create(w.alice, w.file(hex_id('1'), '1'), w.root_update(1)));
  auto missing = w.services->content.commit(w.alice, hex_id('1'), protocol::CommitRequest{0, 1, "AAAA", {hex_id('f', 64)}, {}});
  CHECK(missing.error().code == Errc::invalid_argument);
  REQUIRE(w.services->content.commit(w.alice, hex_id('1'), protocol::CommitRequest{0, 1, "AAAA", {}, {}}));
  auto stale = w.services->content.commit(w.alice, hex_id('1'), protocol::CommitRequest{0, 1, "AAAA", {}, {}});
  CHECK(stale.error().code == Errc::conflict);
  CHECK(stale.details().at("current_version") == 1);
}

TEST_CASE("special files have no versions, may have hard links and count no bytes") {
  World w;
  REQUIRE(w.services->nodes.create(w.alice, w.node("special", hex_id('1'), '1'), w.root_update(1)));
  CHECK(w.services->nodes.get(w.alice, hex_id('1'))->type == "special");
  auto commit = w.services->content.commit(w.alice, hex_id('1'), protocol::CommitRequest{0, 1, "AAAA", {}, {}});
  CHECK(commit.error().code == Errc::invalid_argument);
  auto link = w.services->nodes.link(w.alice, hex_id('1'), protocol::LinkRequest{hex_id('a'), "gAAAAA==", hex_id('2', 64), kKey},
                                     w.root_update(2));
  REQUIRE(link);
  CHECK(link->node.nlink == 2);
  auto node = w.services->nodes.get(w.alice, hex_id('1'));
  CHECK(node->version == 0);
  CHECK(node->size == 0);
  CHECK(w.services->content.usage(w.alice)->used < 2048);  // records and entries only: no content
}

TEST_CASE("folders and symlinks cannot have hard links") {
  World w;
  auto folder_updates = w.root_update(1);
  folder_updates.push_back(protocol::FolderUpdate{hex_id('1'), 0, 1, "AAAA"});
  REQUIRE(w.services->nodes.create(w.alice, w.node("folder", hex_id('1'), '1'), folder_updates));
  REQUIRE(w.services->nodes.create(w.alice, w.node("symlink", hex_id('2'), '2'), w.root_update(2)));
  for (char id : {'1', '2'}) {
    auto link = w.services->nodes.link(w.alice, hex_id(id), protocol::LinkRequest{hex_id('a'), "gAAAAA==", hex_id('3', 64), kKey},
                                       w.root_update(3));
    CHECK(link.error().code == Errc::invalid_argument);
  }
}

TEST_CASE("an upload publishes inside the transaction and puts back a blob file a crash lost") {
  World w;
  const std::string data = "chunk bytes";
  auto first = w.put(data);
  REQUIRE(first);
  CHECK(first->created);
  const auto file = w.blobs->path_of(coffer::test::blob_id_of(data));
  REQUIRE(std::filesystem::exists(file));
  auto again = w.put(data);  // the same bytes again: nothing new
  REQUIRE(again);
  CHECK_FALSE(again->created);
  // A crash after the row committed and before the publishing was synced loses the file.
  std::filesystem::remove(file);
  auto healed = w.put(data);
  REQUIRE(healed);
  CHECK(healed->created);
  CHECK(std::filesystem::exists(file));
  CHECK(w.stored_blobs() == 1);
}
