#include <doctest/doctest.h>
#include <fcntl.h>

#include <chrono>
#include <future>
#include <thread>

#include "test_mount.hpp"

// What waits for the server, and what does not: a slow listing holds up only the users of its
// folder; an open serves what was cached when the server does not answer or is known to be
// away; with the change feed following, open asks the server only about what the feed named.
using namespace coffer;
using coffer::test::MemoryRemote;
using coffer::test::TempDir;
using coffer::test::TestAccount;
using coffer::test::TestMount;
using coffer::test::names_in;
using coffer::vfs::kRootIno;
using namespace std::chrono_literals;

namespace {

template <class Condition>
bool wait_until(Condition&& condition) {
  for (auto deadline = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < deadline;) {
    if (condition()) return true;
    std::this_thread::sleep_for(1ms);
  }
  return condition();
}

// The node id of the folder's only entry on the server.
std::string only_entry_id(MemoryRemote& remote, const std::string& folder_id) {
  auto tags = remote.entry_tags(folder_id);
  REQUIRE(tags.size() == 1);
  return remote.lookup_entry(folder_id, tags.front())->node.node_id;
}

// A program's read of a small file (open, read, close) from any thread; empty on a failure.
Bytes read_all(vfs::Vfs& vfs, std::uint64_t ino) {
  auto opened = vfs.open(ino, O_RDONLY);
  if (!opened) return {};
  Bytes content(4096);
  auto n = vfs.read(opened->fh, 0, content);
  (void)vfs.release(opened->fh);
  content.resize(n ? *n : 0);
  return content;
}

}  // namespace

TEST_CASE("a folder whose listing is slow holds up only its own users, who share the one load") {
  MemoryRemote remote;
  TestAccount account = TestAccount::create(remote);
  TempDir dir;
  TestMount laptop{remote, account, dir.path() / "laptop"};
  REQUIRE(laptop.vfs().mkdir(kRootIno, "slow", 0755, {0, 0}).ok());
  laptop.drain();
  const std::string slow_id = only_entry_id(remote, account.root_id);
  laptop.write_file(laptop.lookup(kRootIno, "slow"), "inside", Bytes{'i'});
  auto other = laptop.vfs().mkdir(kRootIno, "other", 0755, {0, 0});
  REQUIRE(other.ok());
  laptop.write_file(other->ino, "x", Bytes{'x'});
  laptop.write_file(kRootIno, "cached", Bytes{'c'});
  laptop.drain();

  TestMount desktop{remote, account, dir.path() / "desktop"};
  auto& vfs = desktop.vfs();
  const auto cached = desktop.lookup(kRootIno, "cached");
  REQUIRE(desktop.read_file(cached) == Bytes{'c'});
  const auto slow = desktop.lookup(kRootIno, "slow");
  const auto other_ino = desktop.lookup(kRootIno, "other");

  remote.hold_listings(slow_id);
  auto first = std::async(std::launch::async, [&] { return vfs.lookup(slow, "inside").ok(); });
  REQUIRE(wait_until([&] { return remote.listings_waiting() == 1; }));
  auto second = std::async(std::launch::async, [&] { return vfs.lookup(slow, "inside").ok(); });
  auto others = std::async(std::launch::async, [&] {
    return vfs.getattr(kRootIno).ok() && vfs.getattr(cached).ok() && vfs.lookup(other_ino, "x").ok() &&
           names_in(vfs, kRootIno).size() == 5 && read_all(vfs, cached) == Bytes{'c'};
  });
  const bool answered = others.wait_for(10s) == std::future_status::ready;
  CHECK_MESSAGE(answered, "operations on other folders and cached data waited for a slow listing");
  CHECK(first.wait_for(0s) == std::future_status::timeout);
  remote.release_listings();
  CHECK(others.get());
  CHECK(first.get());
  CHECK(second.get());
  CHECK(remote.listings_of(slow_id) == 1);
}

TEST_CASE("a listing that fails is not kept: the next use of the folder tries again") {
  MemoryRemote remote;
  TestAccount account = TestAccount::create(remote);
  TempDir dir;
  TestMount laptop{remote, account, dir.path() / "laptop"};
  laptop.write_file(kRootIno, "f", Bytes{'f'});
  laptop.drain();
  TestMount desktop{remote, account, dir.path() / "desktop"};
  remote.set_offline(true);
  auto missed = desktop.vfs().lookup(kRootIno, "f");
  REQUIRE_FALSE(missed.ok());
  CHECK(missed.error().code == Errc::unavailable);
  remote.set_offline(false);
  CHECK(desktop.vfs().lookup(kRootIno, "f").ok());
}

TEST_CASE("open serves the cached version when the server does not answer, and asks nothing while it is away") {
  MemoryRemote remote;
  TestAccount account = TestAccount::create(remote);
  TempDir dir;
  TestMount laptop{remote, account, dir.path() / "laptop"};
  laptop.write_file(kRootIno, "read-before", Bytes{'r', 'b'});
  laptop.write_file(kRootIno, "never-read", Bytes{'n'});
  laptop.drain();
  TestMount desktop{remote, account, dir.path() / "desktop"};
  auto& vfs = desktop.vfs();
  const auto read_before = desktop.lookup(kRootIno, "read-before");
  const auto never_read = desktop.lookup(kRootIno, "never-read");
  REQUIRE(desktop.read_file(read_before) == Bytes{'r', 'b'});
  REQUIRE(vfs.statfs().ok());

  remote.set_offline(true);  // not yet known to the mount: open asks, and falls back
  CHECK(read_all(vfs, read_before) == Bytes{'r', 'b'});
  auto cold = vfs.open(never_read, O_RDONLY);
  REQUIRE_FALSE(cold.ok());
  CHECK(cold.error().code == Errc::unavailable);

  desktop.connectivity().unanswered("the test server is offline");
  const auto asked = remote.node_gets();
  CHECK(read_all(vfs, read_before) == Bytes{'r', 'b'});
  CHECK(names_in(vfs, kRootIno).size() == 4);
  CHECK(vfs.statfs().ok());
  CHECK(remote.node_gets() == asked);
}

TEST_CASE("with the change feed following, open asks the server only about a node the feed named") {
  MemoryRemote remote;
  TestAccount account = TestAccount::create(remote);
  TempDir dir;
  TestMount laptop{remote, account, dir.path() / "laptop"};
  const auto laptop_ino = laptop.write_file(kRootIno, "f", Bytes{'1'});
  laptop.drain();
  const std::string id = only_entry_id(remote, account.root_id);
  TestMount desktop{remote, account, dir.path() / "desktop"};
  auto& vfs = desktop.vfs();
  const auto ino = desktop.lookup(kRootIno, "f");
  REQUIRE(desktop.read_file(ino) == Bytes{'1'});

  vfs.set_feed_live(true);
  auto asked = remote.node_gets();
  CHECK(desktop.read_file(ino) == Bytes{'1'});
  CHECK(remote.node_gets() == asked);

  auto reader = vfs.open(ino, O_RDONLY);
  REQUIRE(reader.ok());
  auto writer = laptop.vfs().open(laptop_ino, O_WRONLY | O_TRUNC);
  REQUIRE(writer.ok());
  REQUIRE(laptop.vfs().write(writer->fh, 0, Bytes{'2', '2'}, {1000, 1000}).ok());
  REQUIRE(laptop.vfs().release(writer->fh).ok());
  laptop.drain();
  CHECK(*vfs.refresh_node(id) == vfs::Vfs::Refresh::deferred);  // open: close-to-open
  REQUIRE(vfs.release(reader->fh).ok());
  asked = remote.node_gets();
  CHECK(desktop.read_file(ino) == Bytes{'2', '2'});
  CHECK(remote.node_gets() > asked);
}
