// Entries bound to their nodes and folder revisions (issue 12), on the Vfs over an in-memory
// server that lies: swapped entries answer EIO by name, a dropped entry makes the listing
// refused, and two devices that change one folder at once both succeed.
#include <doctest/doctest.h>

#include "test_mount.hpp"

using namespace coffer;
using coffer::test::MemoryRemote;
using coffer::test::TempDir;
using coffer::test::TestAccount;
using coffer::test::TestMount;
using coffer::test::names_in;
using coffer::vfs::kRootIno;

TEST_CASE("two entries whose nodes the server swapped answer integrity errors by name, hiding neither") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  {
    TestMount mount(remote, account, dir.path() / "a");
    mount.write_file(kRootIno, "a.txt", Bytes{'a'});
    mount.write_file(kRootIno, "b.txt", Bytes{'b'});
    mount.drain();
  }
  const auto tags = remote.entry_tags(account.root_id);
  REQUIRE(tags.size() == 2);
  remote.swap_entry_nodes(account.root_id, tags[0], tags[1]);
  TestMount again(remote, account, dir.path() / "a");
  CHECK(names_in(again.vfs(), kRootIno) == std::vector<std::string>{".", "..", "a.txt", "b.txt"});
  CHECK(again.vfs().lookup(kRootIno, "a.txt").error().code == Errc::integrity);
  CHECK(again.vfs().lookup(kRootIno, "b.txt").error().code == Errc::integrity);
}

TEST_CASE("a listing with an entry dropped is refused, also on a device that never saw the folder") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  std::uint64_t revision = 0;
  {
    TestMount mount(remote, account, dir.path() / "a");
    mount.write_file(kRootIno, "kept", Bytes{'k'});
    mount.write_file(kRootIno, "dropped", Bytes{'d'});
    mount.drain();
    revision = remote.folder_revision(account.root_id);
  }
  CHECK(revision >= 2);  // the root's record moved on with the creates
  remote.drop_entry(account.root_id, remote.entry_tags(account.root_id).front());
  TestMount fresh(remote, account, dir.path() / "never-saw-it");
  CHECK(fresh.vfs().lookup(kRootIno, "kept").error().code == Errc::integrity);
  CHECK(fresh.vfs().opendir(kRootIno).error().code == Errc::integrity);
}

TEST_CASE("two devices changing one folder both succeed: the one that is behind re-seals on the current state") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  TestMount first(remote, account, dir.path() / "first");
  TestMount second(remote, account, dir.path() / "second");
  second.write_file(kRootIno, "warm-up", Bytes{'0'});
  second.drain();  // second now knows the root at the revision its change made
  first.write_file(kRootIno, "from-first", Bytes{'1'});
  first.drain();  // the root moves on without second knowing
  const auto before = remote.folder_revision(account.root_id);
  second.write_file(kRootIno, "from-second", Bytes{'2'});
  second.drain();  // refused as stale, planned again on the current listing
  CHECK(remote.folder_revision(account.root_id) == before + 1);
  TestMount third(remote, account, dir.path() / "third");
  CHECK(names_in(third.vfs(), kRootIno) == std::vector<std::string>{".", "..", "from-first", "from-second", "warm-up"});
  CHECK(third.read_file(third.lookup(kRootIno, "from-second")) == Bytes{'2'});
}
