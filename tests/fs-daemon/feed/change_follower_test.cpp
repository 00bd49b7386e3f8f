#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <thread>

#include "feed/change_follower.hpp"
#include "feed/pending_refreshes.hpp"
#include "test_mount.hpp"

using namespace coffer;
using coffer::test::MemoryRemote;
using coffer::test::TempDir;
using coffer::test::TestAccount;
using coffer::test::TestMount;
using coffer::test::names_in;
using coffer::vfs::kRootIno;
using Clock = std::chrono::steady_clock;

namespace {

// Polls `condition` until it holds or `limit` passes.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  while (!condition()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

bool lists(vfs::Vfs& vfs, const std::string& name) {
  auto names = names_in(vfs, kRootIno);
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

TEST_CASE("pending refreshes: entry kinds name the folder, record kinds the node, own changes nothing") {
  feed::PendingRefreshes pending;
  CHECK(pending.empty());
  CHECK_FALSE(pending.add(remote::Change{1, "n1", "p1", "created", true}));
  CHECK_FALSE(pending.add(remote::Change{2, "n1", std::nullopt, "trashed", false}));
  CHECK_FALSE(pending.add(remote::Change{3, "n1", std::nullopt, "moved", false}));  // an entry kind needs its folder
  CHECK_FALSE(pending.add(remote::Change{4, "n1", std::nullopt, "recolored", false}));
  CHECK(pending.empty());
  CHECK(pending.add(remote::Change{5, "n1", "p1", "entry_removed", false}));
  CHECK_FALSE(pending.add(remote::Change{6, "n2", "p1", "moved", false}));  // p1 is pending already
  CHECK(pending.add(remote::Change{7, "n1", std::nullopt, "version", false}));
  CHECK_FALSE(pending.add(remote::Change{8, "n1", std::nullopt, "attributes", false}));
  CHECK_FALSE(pending.empty());
}

TEST_CASE("the follower shows another device's changes while it waits on the feed, and stops at once") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  TestMount laptop(remote, account, dir.path() / "laptop");
  TestMount desktop(remote, account, dir.path() / "desktop");
  REQUIRE_FALSE(lists(desktop.vfs(), "new"));
  {
    feed::ChangeFollower follower(remote, desktop.vfs(), feed::FollowerOptions{std::chrono::seconds(25), std::chrono::milliseconds(100)});
    follower.start();
    laptop.write_file(kRootIno, "new", Bytes{'n'});
    laptop.drain();
    CHECK(eventually([&] { return lists(desktop.vfs(), "new"); }, std::chrono::milliseconds(5000)));
    REQUIRE(laptop.vfs().unlink(kRootIno, "new").ok());
    laptop.drain();
    CHECK(eventually([&] { return !lists(desktop.vfs(), "new"); }, std::chrono::milliseconds(5000)));
    const auto stopping = Clock::now();
    follower.stop();  // the thread is in a 25 s wait for the next change
    CHECK(Clock::now() - stopping < std::chrono::seconds(2));
  }
}

TEST_CASE("catch-up from the metadata cache's cursor: what changed since is forgotten, a cursor past the end refused") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  TestMount laptop(remote, account, dir.path() / "laptop");
  TestMount desktop(remote, account, dir.path() / "desktop");
  const auto cursor = remote.changes(std::nullopt, std::chrono::seconds(0), {})->cursor;
  laptop.write_file(kRootIno, "while-away", Bytes{'w'});
  laptop.drain();

  desktop.vfs().attach_metadata(desktop.stores().metadata.get());
  std::optional<std::uint64_t> current;
  feed::ChangeFollower follower(remote, desktop.vfs());
  follower.on_current([&current](std::uint64_t at) { current = at; });
  const auto end = remote.changes(std::nullopt, std::chrono::seconds(0), {})->cursor;
  CHECK_FALSE(follower.catch_up(end + 1, false).ok());
  CHECK_FALSE(current);

  REQUIRE(follower.catch_up(cursor, false).ok());
  CHECK(current == end);
  // The root was not loaded: its cached listing is dropped, not read again from the server.
  const auto snapshot = desktop.vfs().take_metadata_snapshot();
  CHECK(std::find(snapshot.dropped_listings.begin(), snapshot.dropped_listings.end(), account.root_id) !=
        snapshot.dropped_listings.end());
}
