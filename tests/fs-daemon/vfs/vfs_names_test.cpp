#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "test_mount.hpp"

using namespace coffer;
using coffer::test::MemoryRemote;
using coffer::test::TempDir;
using coffer::test::TestAccount;
using coffer::test::TestMount;
using coffer::test::names_in;
using coffer::vfs::kRootIno;

TEST_CASE("rename replaces, refuses with noreplace and swaps with exchange") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  {
    TestMount mount(remote, account, dir.path() / "a");
    auto& vfs = mount.vfs();
    mount.write_file(kRootIno, "a", Bytes{'a'});
    mount.write_file(kRootIno, "b", Bytes{'b'});
    mount.write_file(kRootIno, "c", Bytes{'c'});
    CHECK(vfs.rename(kRootIno, "a", kRootIno, "b", vfs::RenameMode::noreplace).error().code == Errc::already_exists);
    REQUIRE(vfs.rename(kRootIno, "a", kRootIno, "b", vfs::RenameMode::replace).ok());
    REQUIRE(vfs.rename(kRootIno, "b", kRootIno, "c", vfs::RenameMode::exchange).ok());
    auto sub = vfs.mkdir(kRootIno, "sub", 0755, {0, 0});
    REQUIRE(sub.ok());
    REQUIRE(vfs.rename(kRootIno, "c", sub->ino, "moved", vfs::RenameMode::replace).ok());
    CHECK(vfs.rename(kRootIno, "sub", sub->ino, "inside", vfs::RenameMode::replace).error().code ==
          Errc::invalid_argument);
    mount.drain();
  }
  TestMount other(remote, account, dir.path() / "b");
  CHECK(names_in(other.vfs(), kRootIno) == std::vector<std::string>{".", "..", "b", "sub"});
  CHECK(other.read_file(other.lookup(kRootIno, "b")) == Bytes{'c'});
  CHECK(other.read_file(other.lookup(other.lookup(kRootIno, "sub"), "moved")) == Bytes{'a'});
}

TEST_CASE("folders: rmdir refuses a non-empty folder; unlink and rmdir check the type") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  TestMount mount(remote, account, dir.path() / "a");
  auto& vfs = mount.vfs();
  auto folder = vfs.mkdir(kRootIno, "d", 0755, {0, 0});
  REQUIRE(folder.ok());
  mount.write_file(folder->ino, "f", Bytes{'x'});
  CHECK(vfs.rmdir(kRootIno, "d").error().code == Errc::not_empty);
  CHECK(vfs.unlink(kRootIno, "d").error().code == Errc::is_a_directory);
  CHECK(vfs.rmdir(folder->ino, "f").error().code == Errc::not_a_directory);
  REQUIRE(vfs.unlink(folder->ino, "f").ok());
  REQUIRE(vfs.rmdir(kRootIno, "d").ok());
  mount.drain();
  CHECK(remote.entry_tags(account.root_id).empty());
}

TEST_CASE("hard links share one node: nlink and content agree through every name") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  {
    TestMount mount(remote, account, dir.path() / "a");
    auto& vfs = mount.vfs();
    auto ino = mount.write_file(kRootIno, "one", Bytes{'1'});
    auto folder = vfs.mkdir(kRootIno, "d", 0755, {0, 0});
    REQUIRE(folder.ok());
    auto linked = vfs.link(ino, folder->ino, "two");
    REQUIRE(linked.ok());
    CHECK(linked->ino == ino);
    CHECK(linked->attr.st_nlink == 2);
    CHECK(vfs.link(ino, folder->ino, "two").error().code == Errc::already_exists);
    mount.drain();
  }
  TestMount other(remote, account, dir.path() / "b");
  auto& vfs = other.vfs();
  auto one = other.lookup(kRootIno, "one");
  auto two = other.lookup(other.lookup(kRootIno, "d"), "two");
  CHECK(one == two);
  CHECK(vfs.getattr(one)->st_nlink == 2);
  REQUIRE(vfs.unlink(kRootIno, "one").ok());
  CHECK(vfs.getattr(two)->st_nlink == 1);
  CHECK(other.read_file(two) == Bytes{'1'});
}

TEST_CASE("names up to 255 bytes, unicode and spaces are kept; longer ones are refused") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  std::string longest(255, 'n');
  std::string unicode = "caf\xc3\xa9 \xe2\x98\x83 with spaces";
  {
    TestMount mount(remote, account, dir.path() / "a");
    mount.write_file(kRootIno, longest, Bytes{'l'});
    mount.write_file(kRootIno, unicode, Bytes{'u'});
    auto refused = mount.vfs().create(kRootIno, std::string(256, 'n'), 0644, O_CREAT | O_WRONLY, {0, 0});
    CHECK(refused.error().code == Errc::name_too_long);
    mount.drain();
  }
  TestMount other(remote, account, dir.path() / "b");
  CHECK(other.read_file(other.lookup(kRootIno, longest)) == Bytes{'l'});
  CHECK(other.read_file(other.lookup(kRootIno, unicode)) == Bytes{'u'});
}

TEST_CASE("mode, owner, times, xattrs and symlinks live in the attribute record") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  {
    TestMount mount(remote, account, dir.path() / "a");
    auto& vfs = mount.vfs();
    auto ino = mount.write_file(kRootIno, "f", Bytes{'f'});
    vfs::SetAttrRequest change;
    change.mode = 0640;
    change.uid = 1234;
    change.gid = 5678;
    change.mtime = vfs::TimeChange{false, {1000000000, 123456789}};
    REQUIRE(vfs.setattr(ino, change).ok());
    Bytes value{'v', 'a', 'l'};
    REQUIRE(vfs.setxattr(ino, "user.note", value, vfs::XattrMode::create).ok());
    CHECK(vfs.setxattr(ino, "user.note", value, vfs::XattrMode::create).error().code == Errc::already_exists);
    CHECK(vfs.setxattr(ino, "user.none", value, vfs::XattrMode::replace).error().code == Errc::no_attribute);
    REQUIRE(vfs.symlink("../target", kRootIno, "link", {0, 0}).ok());
    mount.drain();
  }
  TestMount other(remote, account, dir.path() / "b");
  auto& vfs = other.vfs();
  auto attr = vfs.getattr(other.lookup(kRootIno, "f"));
  REQUIRE(attr.ok());
  CHECK((attr->st_mode & 07777) == 0640);
  CHECK(S_ISREG(attr->st_mode));
  CHECK(attr->st_uid == 1234);
  CHECK(attr->st_gid == 5678);
  CHECK(attr->st_mtim.tv_sec == 1000000000);
  CHECK(attr->st_mtim.tv_nsec == 123456789);
  CHECK(attr->st_size == 1);
  auto ino = other.lookup(kRootIno, "f");
  CHECK(*vfs.getxattr(ino, "user.note") == Bytes{'v', 'a', 'l'});
  CHECK(*vfs.listxattr(ino) == std::vector<std::string>{"user.note"});
  CHECK(*vfs.readlink(other.lookup(kRootIno, "link")) == "../target");
}

TEST_CASE("system and security xattrs are refused on write, read and removal alike") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  TestMount mount(remote, account, dir.path() / "a");
  auto& vfs = mount.vfs();
  auto ino = mount.write_file(kRootIno, "f", Bytes{'f'});
  Bytes value{'v'};
  for (const std::string name : {"system.posix_acl_access", "security.selinux", "security.capability"}) {
    CAPTURE(name);
    CHECK(vfs.setxattr(ino, name, value, vfs::XattrMode::any).error().code == Errc::unsupported);
    CHECK(vfs.getxattr(ino, name).error().code == Errc::unsupported);
    CHECK(vfs.removexattr(ino, name).error().code == Errc::unsupported);
  }
  REQUIRE(vfs.setxattr(ino, "trusted.note", value, vfs::XattrMode::any).ok());
  CHECK(*vfs.listxattr(ino) == std::vector<std::string>{"trusted.note"});
  CHECK(vfs.getxattr(ino, "user.absent").error().code == Errc::no_attribute);
}
