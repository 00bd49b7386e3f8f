// A folder's times after changes to its entries: one journal record for a burst of changes
// (UploadQueue::submit_folder_times), the newest times reaching the server, and kept across an
// unmount that could not send them.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <string>

#include "test_mount.hpp"

using namespace coffer;
using coffer::test::MemoryRemote;
using coffer::test::TempDir;
using coffer::test::TestAccount;
using coffer::test::TestMount;
using coffer::vfs::kRootIno;

namespace {

constexpr int kChildren = 30;

std::uint64_t make_folder(TestMount& mount, std::uint64_t parent, const std::string& name) {
  auto made = mount.vfs().mkdir(parent, name, 0755, {0, 0});
  REQUIRE(made.ok());
  return made->ino;
}

timespec mtime_of(TestMount& mount, std::uint64_t ino) {
  auto attr = mount.vfs().getattr(ino);
  REQUIRE(attr.ok());
  return attr->st_mtim;
}

bool same_time(const timespec& a, const timespec& b) { return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec; }

}  // namespace

TEST_CASE("a burst of entry changes in a folder journals the folder's times once, and the newest arrive") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  timespec newest{};
  {
    TestMount mount(remote, account, dir.path() / "a");
    const std::uint64_t folder = make_folder(mount, kRootIno, "d");
    mount.drain();
    remote.set_offline(true);  // the sender takes nothing meanwhile, but for a retry now and then
    const std::uint64_t before = mount.runtime().queue().last_seq();
    for (int i = 0; i < kChildren; ++i) make_folder(mount, folder, "c" + std::to_string(i));
    // One create per child and one attribute op for the folder, not one per child (60). While
    // offline the sender retries now and then; a retry that takes the folder's op into its
    // window while a child is made starts a new one, hence the slack of two.
    CHECK(mount.runtime().queue().last_seq() - before <= kChildren + 3);
    REQUIRE(mount.vfs().rmdir(folder, "c0").ok());
    CHECK(mount.runtime().queue().last_seq() - before <= kChildren + 5);
    newest = mtime_of(mount, folder);
    remote.set_offline(false);
    mount.drain();
  }
  TestMount other(remote, account, dir.path() / "b");
  const std::uint64_t seen = other.lookup(kRootIno, "d");
  CHECK(same_time(mtime_of(other, seen), newest));
}

TEST_CASE("folder times held in memory only are journaled when the mount stops, and sent by the next") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  timespec newest{};
  {
    TestMount mount(remote, account, dir.path() / "a");
    REQUIRE(mount.vfs().opendir(kRootIno).ok());  // the listing is cached before the server goes away
    remote.set_offline(true);
    const std::uint64_t folder = make_folder(mount, kRootIno, "d");
    for (int i = 0; i < kChildren; ++i) make_folder(mount, folder, "c" + std::to_string(i));
    newest = mtime_of(mount, folder);
  }  // stops with everything still queued: the journal keeps it
  remote.set_offline(false);
  {
    TestMount again(remote, account, dir.path() / "a");  // replays the journal
    again.drain();
  }
  TestMount other(remote, account, dir.path() / "b");
  CHECK(same_time(mtime_of(other, other.lookup(kRootIno, "d")), newest));
}
