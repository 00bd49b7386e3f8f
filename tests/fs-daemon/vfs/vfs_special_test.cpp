#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "test_mount.hpp"

using namespace coffer;
using coffer::test::MemoryRemote;
using coffer::test::TempDir;
using coffer::test::TestAccount;
using coffer::test::TestMount;
using coffer::vfs::kRootIno;

namespace {

struct Special {
  const char* name;
  std::uint32_t mode;
  dev_t rdev;           // as mknod is asked
  dev_t expected_rdev;  // as stat reports it: only devices keep one
};

const Special kSpecials[] = {
    {"fifo", S_IFIFO | 0640, makedev(9, 9), 0},
    {"socket", S_IFSOCK | 0755, 0, 0},
    {"null", S_IFCHR | 0666, makedev(1, 3), makedev(1, 3)},
    {"disk", S_IFBLK | 0660, makedev(259, 65536), makedev(259, 65536)},
};

void make_specials(vfs::Vfs& vfs) {
  for (const auto& special : kSpecials) {
    CAPTURE(special.name);
    auto made = vfs.mknod(kRootIno, special.name, special.mode, special.rdev, {1000, 1001});
    REQUIRE(made.ok());
    CHECK(made->attr.st_mode == special.mode);
    CHECK(made->attr.st_rdev == special.expected_rdev);
  }
}

std::vector<remote::EntryInfo> root_entries(MemoryRemote& remote, const TestAccount& account) {
  auto page = remote.list_entries(account.root_id, std::nullopt, 100);
  REQUIRE(page.ok());
  return page->entries;
}

}  // namespace

TEST_CASE("mknod makes FIFOs, sockets and device nodes with their mode, owner and rdev") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  TestMount mount(remote, account, dir.path() / "a");
  auto& vfs = mount.vfs();
  make_specials(vfs);
  for (const auto& special : kSpecials) {
    CAPTURE(special.name);
    auto attr = vfs.getattr(mount.lookup(kRootIno, special.name));
    REQUIRE(attr.ok());
    CHECK(attr->st_mode == special.mode);
    CHECK(attr->st_rdev == special.expected_rdev);
    CHECK(attr->st_uid == 1000);
    CHECK(attr->st_gid == 1001);
    CHECK(attr->st_size == 0);
    CHECK(attr->st_nlink == 1);
  }
  CHECK(vfs.mknod(kRootIno, "fifo", S_IFIFO | 0600, 0, {0, 0}).error().code == Errc::already_exists);
  CHECK(vfs.mknod(kRootIno, "dir", S_IFDIR | 0700, 0, {0, 0}).error().code == Errc::invalid_argument);
}

TEST_CASE("mknod of a regular file still makes an empty file") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  TestMount mount(remote, account, dir.path() / "a");
  auto made = mount.vfs().mknod(kRootIno, "plain", S_IFREG | 0600, makedev(1, 3), {0, 0});
  REQUIRE(made.ok());
  CHECK(made->attr.st_mode == (S_IFREG | 0600));
  CHECK(made->attr.st_rdev == 0);
  CHECK(mount.read_file(made->ino).empty());
}

TEST_CASE("a special file never reaches content: open and truncate are refused") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  TestMount mount(remote, account, dir.path() / "a");
  auto& vfs = mount.vfs();
  make_specials(vfs);
  for (const auto& special : kSpecials) {
    CAPTURE(special.name);
    const auto ino = mount.lookup(kRootIno, special.name);
    CHECK(vfs.open(ino, O_RDWR).error().code == Errc::not_permitted);
    vfs::SetAttrRequest truncate;
    truncate.size = 0;
    CHECK(vfs.setattr(ino, truncate).error().code == Errc::invalid_argument);
  }
}

TEST_CASE("special files reach the server as nodes without content and read back on another device") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  {
    TestMount mount(remote, account, dir.path() / "a");
    make_specials(mount.vfs());
    vfs::SetAttrRequest chmod;
    chmod.mode = 0600;
    REQUIRE(mount.vfs().setattr(mount.lookup(kRootIno, "fifo"), chmod).ok());
    mount.drain();
  }
  const auto entries = root_entries(remote, account);
  REQUIRE(entries.size() == std::size(kSpecials));
  for (const auto& entry : entries) {
    CHECK(entry.node.type == remote::NodeType::special);
    CHECK(entry.node.version == 0);
    CHECK(entry.node.size == 0);
  }
  TestMount other(remote, account, dir.path() / "b");
  for (const auto& special : kSpecials) {
    CAPTURE(special.name);
    auto attr = other.vfs().getattr(other.lookup(kRootIno, special.name));
    REQUIRE(attr.ok());
    const std::uint32_t mode = special.name == std::string("fifo") ? (S_IFIFO | 0600) : special.mode;
    CHECK(attr->st_mode == mode);
    CHECK(attr->st_uid == 1000);
    CHECK(attr->st_gid == 1001);
    CHECK(attr->st_size == 0);
    CHECK(attr->st_rdev == special.expected_rdev);  // rdev travels in the sealed attribute record
  }
}

TEST_CASE("special files take hard links, renames and unlinks like files") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  {
    TestMount mount(remote, account, dir.path() / "a");
    auto& vfs = mount.vfs();
    make_specials(vfs);
    auto folder = vfs.mkdir(kRootIno, "d", 0755, {0, 0});
    REQUIRE(folder.ok());
    const auto fifo = mount.lookup(kRootIno, "fifo");
    auto linked = vfs.link(fifo, folder->ino, "fifo-link");
    REQUIRE(linked.ok());
    CHECK(linked->ino == fifo);
    CHECK(linked->attr.st_nlink == 2);
    REQUIRE(vfs.rename(kRootIno, "null", folder->ino, "moved-null", vfs::RenameMode::noreplace).ok());
    REQUIRE(vfs.rename(kRootIno, "socket", kRootIno, "disk", vfs::RenameMode::replace).ok());
    REQUIRE(vfs.unlink(kRootIno, "fifo").ok());
    CHECK(vfs.getattr(fifo)->st_nlink == 1);
    mount.drain();
  }
  TestMount other(remote, account, dir.path() / "b");
  auto& vfs = other.vfs();
  const auto folder = other.lookup(kRootIno, "d");
  auto fifo = vfs.getattr(other.lookup(folder, "fifo-link"));
  REQUIRE(fifo.ok());
  CHECK(S_ISFIFO(fifo->st_mode));
  CHECK(fifo->st_nlink == 1);
  CHECK(S_ISCHR(vfs.getattr(other.lookup(folder, "moved-null"))->st_mode));
  CHECK(S_ISSOCK(vfs.getattr(other.lookup(kRootIno, "disk"))->st_mode));
  CHECK(vfs.lookup(kRootIno, "fifo").error().code == Errc::not_found);
  CHECK(vfs.lookup(kRootIno, "null").error().code == Errc::not_found);
  CHECK(vfs.lookup(kRootIno, "socket").error().code == Errc::not_found);
}
