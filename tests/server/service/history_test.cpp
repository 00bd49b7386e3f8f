// Folders as they were (GET /v1/nodes/{id}/entries?at=): the entry history kept by the store,
// with each node's version of then, forgotten with purged nodes.
#include <doctest/doctest.h>

#include "tests/server/support/service_world.hpp"

using namespace coffer::server;
namespace protocol = coffer::protocol;
using coffer::Errc;

namespace {

using coffer::test::blob_id_of;
using coffer::test::hex_id;

// The services on a clock the test moves (entries and versions take their times from it);
// removals take the database's own clock, which is later than every time set here.
struct World : coffer::test::ServiceWorld {
  std::int64_t now = service::system_seconds() - 1000;
  World() {
    services = std::make_unique<service::Services>(*metadata, *blobs, config, [this] { return now; });
  }
  std::vector<std::string> names_at(std::int64_t at) {
    auto page = services->nodes.list_at(alice, hex_id('a'), at, "", 10);
    REQUIRE(page);
    std::vector<std::string> nodes;
    for (const auto& entry : page->entries) {
      nodes.push_back(entry.node.node_id + "@" + std::to_string(entry.node.version));
    }
    return nodes;
  }
  std::uint64_t counted() {
    auto txn = metadata->begin(storage::TransactionMode::read);
    REQUIRE(txn);
    return *(*txn)->users().counted_usage(alice.user_id);
  }
};

}  // namespace

TEST_CASE("a folder listed at a past time has the entries it had then, with the versions of then") {
  World w;
  const std::int64_t t1 = w.now;
  REQUIRE(w.create_file(hex_id('1'), '1'));
  REQUIRE(w.put("one"));
  REQUIRE(w.services->content.commit(w.alice, hex_id('1'), protocol::CommitRequest{0, 1, "AAAA", {blob_id_of("one")}, {}}));
  w.now += 100;
  const std::int64_t t2 = w.now;
  REQUIRE(w.put("two"));
  REQUIRE(w.services->content.commit(w.alice, hex_id('1'), protocol::CommitRequest{1, 2, "AAAA", {blob_id_of("two")}, {}}));
  REQUIRE(w.create_file(hex_id('2'), '2'));
  REQUIRE(w.services->nodes.remove(w.alice, hex_id('a'), hex_id('1', 64), w.root_update(w.root_revision())));

  CHECK(w.names_at(t1 - 1).empty());
  CHECK(w.names_at(t1) == std::vector<std::string>{hex_id('1') + "@1"});
  CHECK(w.names_at(t2) == std::vector<std::string>{hex_id('1') + "@2", hex_id('2') + "@0"});
  CHECK(w.names_at(service::system_seconds() + 10) == std::vector<std::string>{hex_id('2') + "@0"});
  auto page = w.services->nodes.list_at(w.alice, hex_id('a'), t2, "", 1);
  REQUIRE(page);
  CHECK(page->next == std::optional<std::string>(hex_id('1', 64)));
  CHECK(protocol::Json(*page).at("folder").is_null());
  CHECK(w.services->nodes.list_at(w.alice, hex_id('1'), t2, "", 10).error().code == Errc::invalid_argument);
  CHECK(w.services->content.usage(w.alice)->used == w.counted());

  // Purged: its history goes with it, and so do the bytes the history kept.
  REQUIRE(w.services->trash.purge(w.alice, hex_id('1')));
  CHECK(w.names_at(t2) == std::vector<std::string>{hex_id('2') + "@0"});
  CHECK(w.services->content.usage(w.alice)->used == w.counted());
}

TEST_CASE("the past of another user's folder is as hidden as its present") {
  World w;
  REQUIRE(w.create_file(hex_id('1'), '1'));
  w.add_user("bob", false, coffer::test::kTestKey, 'b');
  auto bob = w.services->auth.authenticate(w.token_of("bob", coffer::test::kTestKey), "127.0.0.1");
  REQUIRE(bob);
  CHECK(w.services->nodes.list_at(*bob, hex_id('a'), w.now, "", 10).error().code == Errc::not_found);
}
