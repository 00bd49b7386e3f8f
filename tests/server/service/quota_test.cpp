// Quota as a hard limit, on the services without HTTP (docs/server.md, "Quota").
#include <doctest/doctest.h>

#include <filesystem>

#include "tests/server/support/service_world.hpp"

using namespace coffer::server;
namespace protocol = coffer::protocol;
using coffer::Errc;

namespace {

using coffer::test::b64;
using coffer::test::blob_id_of;
using coffer::test::hex_id;
const std::string kKey = coffer::test::kTestKey;
const service::Actor kActor = coffer::test::kTestActor;

// The shared world plus the quota's numbers.
struct World : coffer::test::ServiceWorld {
  std::uint64_t used() { return services->content.usage(alice)->used; }
  // What `used` must be, counted from the rows.
  std::uint64_t counted() {
    auto txn = metadata->begin(storage::TransactionMode::read);
    REQUIRE(txn);
    return *(*txn)->users().counted_usage(alice.user_id);
  }
  void set_quota(std::optional<std::uint64_t> quota) { REQUIRE(services->admin.set_quota(kActor, "alice", quota)); }
  // Limits the quota to what is used now plus `room`.
  void leave_room(std::uint64_t room) { set_quota(used() + room); }
};

}  // namespace

TEST_CASE("every row kept for a user is charged as it is written") {
  World w;
  const std::uint64_t start = w.used();
  CHECK(start > 0);  // the root folder's node row and records
  CHECK(start == w.counted());
  REQUIRE(w.create_file(hex_id('1'), '1'));
  const std::uint64_t with_file = w.used();
  CHECK(with_file > start);
  CHECK(with_file == w.counted());
  REQUIRE(w.put("chunk one"));
  const std::string manifest(4000, 'M');
  REQUIRE(w.services->content.commit(w.alice, hex_id('1'),
                                     protocol::CommitRequest{0, 1, manifest, {blob_id_of("chunk one")}, {}}));
  CHECK(w.used() >= with_file + 9 + manifest.size() + 64);
  CHECK(w.used() == w.counted());
  const std::uint64_t before_attributes = w.used();
  REQUIRE(w.services->nodes.set_attributes(w.alice, hex_id('1'), protocol::SetAttributesRequest{std::string(400, 'A'), 2, 1}));
  CHECK(w.used() == before_attributes + 400 - 4);  // replaced: only the difference
  CHECK(w.used() == w.counted());
  REQUIRE(w.services->nodes.remove(w.alice, hex_id('a'), hex_id('1', 64), w.root_update(w.root_revision())));
  CHECK(w.used() == w.counted());  // the entry moved to the trash row
}

TEST_CASE("a version whose manifest would pass the quota is refused and adds nothing") {
  World w;
  REQUIRE(w.create_file(hex_id('1'), '1'));
  w.leave_room(1000);
  const std::uint64_t before = w.used();
  auto refused = w.services->content.commit(w.alice, hex_id('1'),
                                            protocol::CommitRequest{0, 1, std::string(2000, 'M'), {}, {}});
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == Errc::quota_exceeded);
  CHECK(refused.error().message.find(std::to_string(before) + " bytes of " + std::to_string(before + 1000)) !=
        std::string::npos);
  CHECK(refused.details().at("used") == before);
  CHECK(w.used() == before);
  CHECK(w.used() == w.counted());
  CHECK(w.services->content.versions(w.alice, hex_id('1'))->versions.empty());
  // The manifest fits but with its chunk list it does not: the store's guard refuses it.
  REQUIRE(w.put("c"));
  w.leave_room(1000);
  const std::uint64_t at = w.used();
  auto guarded = w.services->content.commit(
      w.alice, hex_id('1'), protocol::CommitRequest{0, 1, std::string(950, 'M'), {blob_id_of("c")}, {}});
  REQUIRE_FALSE(guarded);
  CHECK(guarded.error().code == Errc::quota_exceeded);
  CHECK(guarded.details().at("used") == at);
  CHECK(w.used() == at);
  CHECK(w.services->content.versions(w.alice, hex_id('1'))->versions.empty());
  REQUIRE(w.services->content.commit(w.alice, hex_id('1'), protocol::CommitRequest{0, 1, std::string(500, 'M'), {}, {}}));
  CHECK(w.used() == w.counted());
}

TEST_CASE("a blob upload over the quota leaves neither a file nor a charge") {
  World w;
  w.leave_room(100);
  const std::string big(300, 'x');
  // Declared: refused before a byte is read.
  auto early = w.services->content.start_upload(w.alice, blob_id_of(big), big.size());
  REQUIRE_FALSE(early);
  CHECK(early.error().code == Errc::quota_exceeded);
  // Undeclared (chunked): refused as the bytes pass the room, then removed.
  {
    auto writer = w.services->content.start_upload(w.alice, blob_id_of(big), std::nullopt);
    REQUIRE(writer);
    auto written = (*writer)->write(big);
    REQUIRE_FALSE(written);
    CHECK(written.error().code == Errc::quota_exceeded);
  }
  // Declared too small to trip the reservation: the transaction refuses it.
  {
    auto writer = w.services->content.start_upload(w.alice, blob_id_of(big), 10);
    REQUIRE(writer);
    w.set_quota(w.used() + 100);
    auto written = (*writer)->write(big);
    REQUIRE_FALSE(written);
    CHECK(written.error().code == Errc::quota_exceeded);
  }
  CHECK(w.stored_blobs() == 0);
  CHECK(w.files_under(w.dir.path() / "blobs" / "tmp") == 0);
  CHECK(w.services->content.reserved(w.alice) == 0);
  const std::uint64_t before = w.used();
  REQUIRE(w.put(std::string(90, 'y')));
  CHECK(w.used() == before + 90);
  CHECK(w.stored_blobs() == 1);
}

TEST_CASE("the transaction is the hard limit: a blob refused there is not published") {
  World w;
  w.leave_room(100);
  const std::string data(80, 'z');
  auto writer = w.services->content.start_upload(w.alice, blob_id_of(data), data.size());
  REQUIRE(writer);
  REQUIRE((*writer)->write(data));  // within its reservation
  w.set_quota(w.used() + 50);       // lowered while the body arrived
  auto stored = w.services->content.finish_upload(w.alice, blob_id_of(data), **writer);
  REQUIRE_FALSE(stored);
  CHECK(stored.error().code == Errc::quota_exceeded);
  CHECK(w.files_under(w.dir.path() / "blobs" / "tmp") == 1);  // until the writer goes
  writer->reset();
  CHECK(w.stored_blobs() == 0);
  CHECK(w.files_under(w.dir.path() / "blobs" / "tmp") == 0);
  CHECK(w.services->content.reserved(w.alice) == 0);
}

TEST_CASE("parallel uploads reserve their declared sizes: the second one that does not fit is refused at once") {
  World w;
  w.leave_room(1000);
  const std::string first(600, 'a');
  const std::string second(600, 'b');
  auto one = w.services->content.start_upload(w.alice, blob_id_of(first), first.size());
  REQUIRE(one);
  CHECK(w.services->content.reserved(w.alice) == 600);
  auto two = w.services->content.start_upload(w.alice, blob_id_of(second), second.size());
  REQUIRE_FALSE(two);
  CHECK(two.error().code == Errc::quota_exceeded);
  CHECK(two.details().at("reserved") == 600);
  REQUIRE((*one)->write(first));
  REQUIRE(w.services->content.finish_upload(w.alice, blob_id_of(first), **one));
  one->reset();
  CHECK(w.services->content.reserved(w.alice) == 0);
  CHECK(w.used() + 400 == *w.services->content.usage(w.alice)->quota);
}

TEST_CASE("a batch op refused over the quota leaves no blob; a blob kept for another holder stays") {
  World w;
  REQUIRE(w.create_file(hex_id('1'), '1'));
  REQUIRE(w.create_file(hex_id('2'), '2'));
  const std::string small = "fits";
  const std::string large(5000, 'L');
  w.leave_room(1000);
  std::vector<coffer::Result<protocol::BatchOp>> ops;
  ops.emplace_back(protocol::BatchOp(protocol::BatchCommit{
      hex_id('1'), protocol::CommitRequest{0, 1, "AAAA", {blob_id_of(small)}, {}}, {{blob_id_of(small), b64(small)}}}));
  ops.emplace_back(protocol::BatchOp(protocol::BatchCommit{
      hex_id('2'), protocol::CommitRequest{0, 1, "AAAA", {blob_id_of(large)}, {}}, {{blob_id_of(large), b64(large)}}}));
  auto results = w.services->batch.run(w.alice, ops, {});
  REQUIRE(results);
  CHECK_FALSE((*results)[0].error);
  REQUIRE((*results)[1].error);
  CHECK((*results)[1].error->code == Errc::quota_exceeded);
  CHECK((*results)[1].details.at("needed") == large.size());
  CHECK(w.stored_blobs() == 1);
  CHECK(*w.blobs->contains(blob_id_of(small)));
  CHECK_FALSE(*w.blobs->contains(blob_id_of(large)));
  CHECK(w.files_under(w.dir.path() / "blobs" / "tmp") == 0);
  CHECK(w.used() == w.counted());
  // At the quota, bytes another holder stored already are not removed when alice is refused.
  service::NewAccount account{"bob", false, protocol::KdfParams{"scrypt", 32768, 8, 1, kKey.substr(0, 24)},
                              kKey, "AAAA", kKey, hex_id('b'), kKey, "AAAA", "AAAA", std::nullopt};
  REQUIRE(w.services->admin.add_user(kActor, account));
  auto login = w.services->auth.login(protocol::LoginRequest{"bob", kKey, "test"}, "127.0.0.1");
  REQUIRE(login);
  const service::Caller bob = *w.services->auth.authenticate(login->token, "127.0.0.1");
  const std::string shared = "bytes bob stored";
  auto writer = w.services->content.start_upload(bob, blob_id_of(shared), shared.size());
  REQUIRE(writer);
  REQUIRE((*writer)->write(shared));
  REQUIRE(w.services->content.finish_upload(bob, blob_id_of(shared), **writer));
  writer->reset();
  w.set_quota(w.used());
  auto again = w.put(shared);
  REQUIRE_FALSE(again);
  CHECK(again.error().code == Errc::quota_exceeded);
  CHECK(*w.blobs->contains(blob_id_of(shared)));
  CHECK(w.stored_blobs() == 2);
}

TEST_CASE("over the quota, requests that free bytes still go through") {
  World w;
  REQUIRE(w.create_file(hex_id('1'), '1'));
  REQUIRE(w.services->nodes.set_attributes(w.alice, hex_id('1'), protocol::SetAttributesRequest{std::string(400, 'A'), 2, 1}));
  w.set_quota(w.used() / 2);
  CHECK(w.services->nodes.set_attributes(w.alice, hex_id('1'), protocol::SetAttributesRequest{std::string(500, 'A'), 3, 2})
            .error().code == Errc::quota_exceeded);
  REQUIRE(w.services->nodes.set_attributes(w.alice, hex_id('1'), protocol::SetAttributesRequest{"AAAA", 3, 2}));
  CHECK(w.create_file(hex_id('2'), '2').error().code == Errc::quota_exceeded);
  CHECK(w.used() == w.counted());
}

TEST_CASE("the admin list and the user's own usage are the same numbers") {
  World w;
  REQUIRE(w.put("some bytes"));
  w.set_quota(1 << 20);
  auto users = w.services->admin.users();
  REQUIRE(users);
  REQUIRE(users->users.size() == 1);
  auto usage = w.services->content.usage(w.alice);
  CHECK(users->users[0].used == usage->used);
  CHECK(users->users[0].quota == usage->quota);
}
