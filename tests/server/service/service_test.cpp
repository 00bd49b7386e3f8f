#include <doctest/doctest.h>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "server/service/auth_verifier.hpp"
#include "server/service/login_throttle.hpp"
#include "server/service/secrets.hpp"
#include "server/service/services.hpp"
#include "server/storage/local/local_blob_store.hpp"
#include "server/storage/sqlite/sqlite_store.hpp"
#include "tests/server/support/temp_dir.hpp"

using namespace coffer::server;
namespace protocol = coffer::protocol;
using coffer::Errc;
using coffer::test::TempDir;

namespace {

const std::string kKey = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
const std::string kOtherKey = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

std::string hex_id(char c, std::size_t length = 32) { return std::string(length, c); }

// A server's services over a temporary data directory, with alice (root "aaa...") logged in.
struct World {
  TempDir dir;
  ServerConfig config;
  std::unique_ptr<storage::sqlite::SqliteMetadataStore> metadata;
  std::unique_ptr<storage::LocalBlobStore> blobs;
  std::unique_ptr<service::Services> services;
  service::Caller alice;

  World() {
    metadata = std::move(*storage::sqlite::SqliteMetadataStore::open(dir.path() / "coffer.db", {}));
    blobs = std::move(*storage::LocalBlobStore::open(dir.path() / "blobs"));
    services = std::make_unique<service::Services>(*metadata, *blobs, config);
    service::NewAccount account{"alice", false, protocol::KdfParams{"scrypt", 32768, 8, 1, kKey.substr(0, 24)},
                                kKey, "AAAA", kKey, hex_id('a'), kKey, "AAAA", std::nullopt};
    REQUIRE(services->admin.add_user({"test", "local"}, account));
    auto login = services->auth.login(protocol::LoginRequest{"alice", kKey, "test"}, "127.0.0.1");
    REQUIRE(login);
    alice = *services->auth.authenticate(login->token, "127.0.0.1");
  }

  protocol::CreateNodeRequest node(const std::string& type, const std::string& id, char tag) {
    return protocol::CreateNodeRequest{id, type, hex_id('a'), "gAAAAA==", hex_id(tag, 64), kKey, "AAAA", 1};
  }
  protocol::CreateNodeRequest file(const std::string& id, char tag) { return node("file", id, tag); }
};

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
  const std::string user = "user:a";
  const std::string address = "address:1";
  throttle.record_failure({user, address}, 100);
  throttle.record_failure({user, address}, 100);
  CHECK(throttle.retry_after({user}, 100) == 0);
  throttle.record_failure({user, address}, 100);
  CHECK(throttle.retry_after({user}, 100) == 10);
  CHECK(throttle.retry_after({"user:b", address}, 105) == 5);  // the address is blocked for everyone
  throttle.record_failure({user}, 110);
  CHECK(throttle.retry_after({user}, 110) == 20);
  throttle.record_failure({user}, 130);
  CHECK(throttle.retry_after({user}, 130) == 25);  // capped
  throttle.record_success({user});
  CHECK(throttle.retry_after({user}, 130) == 0);
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

TEST_CASE("a batch applies the good ops and undoes the failed ones") {
  World w;
  std::vector<coffer::Result<protocol::BatchOp>> ops;
  ops.emplace_back(protocol::BatchOp(w.file(hex_id('1'), '1')));
  ops.emplace_back(protocol::BatchOp(w.file(hex_id('2'), '1')));  // same name: 409
  ops.emplace_back(coffer::make_error(Errc::invalid_argument, "ops[2]: malformed"));
  const std::string data = "small file";
  const auto digest = coffer::crypto::sha256(coffer::as_bytes(data));
  const std::string id = coffer::crypto::hex_encode(digest);
  protocol::BatchCommit commit{hex_id('1'), protocol::CommitRequest{0, 1, "AAAA", {id}, {}},
                               {{id, coffer::crypto::base64url_encode(coffer::as_bytes(data))}}};
  ops.emplace_back(protocol::BatchOp(commit));
  ops.emplace_back(protocol::BatchOp(protocol::BatchRemove{hex_id('a'), hex_id('9', 64)}));
  auto results = w.services->batch.run(w.alice, ops);
  REQUIRE(results);
  REQUIRE(results->size() == 5);
  CHECK_FALSE((*results)[0].error);
  CHECK((*results)[1].error->code == Errc::conflict);
  CHECK((*results)[1].details.contains("existing"));
  CHECK((*results)[2].error->code == Errc::invalid_argument);
  CHECK_FALSE((*results)[3].error);
  CHECK((*results)[4].error->code == Errc::not_found);
  CHECK(w.services->nodes.get(w.alice, hex_id('1'))->version == 1);
  CHECK(w.services->nodes.get(w.alice, hex_id('2')).error().code == Errc::not_found);
  CHECK(w.services->content.usage(w.alice)->used == data.size());
}

TEST_CASE("commits check the base version and the chunks") {
  World w;
  REQUIRE(w.services->nodes.create(w.alice, w.file(hex_id('1'), '1')));
  auto missing = w.services->content.commit(w.alice, hex_id('1'), protocol::CommitRequest{0, 1, "AAAA", {hex_id('f', 64)}, {}});
  CHECK(missing.error().code == Errc::invalid_argument);
  REQUIRE(w.services->content.commit(w.alice, hex_id('1'), protocol::CommitRequest{0, 1, "AAAA", {}, {}}));
  auto stale = w.services->content.commit(w.alice, hex_id('1'), protocol::CommitRequest{0, 1, "AAAA", {}, {}});
  CHECK(stale.error().code == Errc::conflict);
  CHECK(stale.details().at("current_version") == 1);
}

TEST_CASE("special files have no versions, may have hard links and count no bytes") {
  World w;
  REQUIRE(w.services->nodes.create(w.alice, w.node("special", hex_id('1'), '1')));
  CHECK(w.services->nodes.get(w.alice, hex_id('1'))->type == "special");
  auto commit = w.services->content.commit(w.alice, hex_id('1'), protocol::CommitRequest{0, 1, "AAAA", {}, {}});
  CHECK(commit.error().code == Errc::invalid_argument);
  auto link = w.services->nodes.link(w.alice, hex_id('1'), protocol::LinkRequest{hex_id('a'), "gAAAAA==", hex_id('2', 64), kKey});
  REQUIRE(link);
  CHECK(link->node.nlink == 2);
  auto node = w.services->nodes.get(w.alice, hex_id('1'));
  CHECK(node->version == 0);
  CHECK(node->size == 0);
  CHECK(w.services->content.usage(w.alice)->used == 0);
}

TEST_CASE("folders and symlinks cannot have hard links") {
  World w;
  REQUIRE(w.services->nodes.create(w.alice, w.node("folder", hex_id('1'), '1')));
  REQUIRE(w.services->nodes.create(w.alice, w.node("symlink", hex_id('2'), '2')));
  for (char id : {'1', '2'}) {
    auto link = w.services->nodes.link(w.alice, hex_id(id), protocol::LinkRequest{hex_id('a'), "gAAAAA==", hex_id('3', 64), kKey});
    CHECK(link.error().code == Errc::invalid_argument);
  }
}
