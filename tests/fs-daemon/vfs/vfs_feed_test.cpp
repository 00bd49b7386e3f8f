#include <doctest/doctest.h>
#include <fcntl.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <tuple>

#include "test_mount.hpp"

// Other devices' changes applied through Vfs::refresh_folder and Vfs::refresh_node, as the
// change feed asks for them: two devices of one user over one in-memory server.
using namespace coffer;
using coffer::test::MemoryRemote;
using coffer::test::TempDir;
using coffer::test::TestAccount;
using coffer::test::TestMount;
using coffer::test::names_in;
using coffer::vfs::kRootIno;
using Refresh = coffer::vfs::Vfs::Refresh;

namespace {

// What the kernel was told, in order of kind.
struct RecordingNotifier : vfs::KernelNotifier {
  std::set<std::uint64_t> inodes;
  std::set<std::pair<std::uint64_t, std::string>> entries;
  std::set<std::tuple<std::uint64_t, std::uint64_t, std::string>> deletions;

  void invalidate_inode(std::uint64_t ino) override { inodes.insert(ino); }
  void invalidate_entry(std::uint64_t parent, const std::string& name) override { entries.emplace(parent, name); }
  void delete_entry(std::uint64_t parent, std::uint64_t child, const std::string& name) override {
    deletions.emplace(parent, child, name);
  }
  void clear() { *this = RecordingNotifier{}; }
};

struct TwoDevices {
  MemoryRemote remote;
  TestAccount account = TestAccount::create(remote);
  TempDir dir;
  TestMount laptop{remote, account, dir.path() / "laptop"};
  TestMount desktop{remote, account, dir.path() / "desktop"};
  RecordingNotifier kernel;  // the desktop's

  TwoDevices() { desktop.vfs().set_notifier(&kernel); }
  ~TwoDevices() { desktop.vfs().set_notifier(nullptr); }

  std::uint32_t desktop_mode(std::uint64_t ino) { return desktop.vfs().getattr(ino)->st_mode & 07777; }
};

Result<Refresh> refresh_root(TwoDevices& d) { return d.desktop.vfs().refresh_folder(d.account.root_id); }

std::string id_of(MemoryRemote& remote, const std::string& folder_id, std::size_t index) {
  return remote.lookup_entry(folder_id, remote.entry_tags(folder_id).at(index))->node.node_id;
}

}  // namespace

TEST_CASE("a folder read again shows new, renamed and removed entries and tells the kernel exactly those") {
  TwoDevices d;
  d.laptop.write_file(kRootIno, "keep", Bytes{'k'});
  d.laptop.write_file(kRootIno, "old", Bytes{'o'});
  d.laptop.write_file(kRootIno, "gone", Bytes{'g'});
  d.laptop.drain();
  REQUIRE(names_in(d.desktop.vfs(), kRootIno) == std::vector<std::string>{".", "..", "gone", "keep", "old"});
  const auto old_ino = d.desktop.lookup(kRootIno, "old");
  const auto gone_ino = d.desktop.lookup(kRootIno, "gone");

  auto& laptop = d.laptop.vfs();
  REQUIRE(laptop.rename(kRootIno, "old", kRootIno, "new", vfs::RenameMode::noreplace).ok());
  REQUIRE(laptop.unlink(kRootIno, "gone").ok());
  REQUIRE(laptop.mkdir(kRootIno, "dir", 0755, {0, 0}).ok());
  d.laptop.drain();
  CHECK(names_in(d.desktop.vfs(), kRootIno) == std::vector<std::string>{".", "..", "gone", "keep", "old"});

  REQUIRE(*refresh_root(d) == Refresh::done);
  CHECK(names_in(d.desktop.vfs(), kRootIno) == std::vector<std::string>{".", "..", "dir", "keep", "new"});
  // The renamed file is the same node under its new name, with the same inode number.
  CHECK(d.desktop.lookup(kRootIno, "new") == old_ino);
  CHECK(d.desktop.read_file(old_ino) == Bytes{'o'});
  CHECK(d.kernel.deletions == std::set<std::tuple<std::uint64_t, std::uint64_t, std::string>>{{kRootIno, gone_ino, "gone"}});
  CHECK(d.kernel.entries ==
        std::set<std::pair<std::uint64_t, std::string>>{{kRootIno, "old"}, {kRootIno, "new"}, {kRootIno, "dir"}});
  CHECK(d.kernel.inodes == std::set<std::uint64_t>{kRootIno, gone_ino});

  d.kernel.clear();  // nothing changed since: nothing to tell
  REQUIRE(*refresh_root(d) == Refresh::done);
  CHECK(d.kernel.inodes.empty());
  CHECK(d.kernel.entries.empty());
}

TEST_CASE("a folder with local changes not yet sent is read again only once they are") {
  TwoDevices d;
  REQUIRE(names_in(d.desktop.vfs(), kRootIno).size() == 2);
  d.laptop.write_file(kRootIno, "theirs", Bytes{'t'});
  d.laptop.drain();
  d.remote.set_offline(true);
  d.desktop.write_file(kRootIno, "mine", Bytes{'m'});
  CHECK(*refresh_root(d) == Refresh::deferred);
  CHECK(names_in(d.desktop.vfs(), kRootIno) == std::vector<std::string>{".", "..", "mine"});
  d.remote.set_offline(false);
  d.desktop.runtime().queue().retry_now();
  d.desktop.drain();
  REQUIRE(*refresh_root(d) == Refresh::done);
  CHECK(names_in(d.desktop.vfs(), kRootIno) == std::vector<std::string>{".", "..", "mine", "theirs"});
}

TEST_CASE("a new version reaches a closed file at once and an open one after its last close") {
  TwoDevices d;
  const auto laptop_ino = d.laptop.write_file(kRootIno, "f", Bytes{'1'});
  d.laptop.drain();
  const auto ino = d.desktop.lookup(kRootIno, "f");
  REQUIRE(d.desktop.read_file(ino) == Bytes{'1'});
  const std::string id = id_of(d.remote, d.account.root_id, 0);

  auto rewrite = [&](std::uint8_t byte) {
    auto opened = d.laptop.vfs().open(laptop_ino, O_WRONLY | O_TRUNC);
    REQUIRE(opened.ok());
    REQUIRE(d.laptop.vfs().write(opened->fh, 0, Bytes{byte, byte}, {1000, 1000}).ok());
    REQUIRE(d.laptop.vfs().release(opened->fh).ok());
    d.laptop.drain();
  };
  rewrite('2');
  REQUIRE(*d.desktop.vfs().refresh_node(id) == Refresh::done);
  CHECK(d.kernel.inodes.contains(ino));
  CHECK(d.desktop.vfs().getattr(ino)->st_size == 2);
  CHECK(d.desktop.read_file(ino) == Bytes{'2', '2'});

  auto reader = d.desktop.vfs().open(ino, O_RDONLY);
  REQUIRE(reader.ok());
  rewrite('3');
  CHECK(*d.desktop.vfs().refresh_node(id) == Refresh::deferred);
  Bytes buffer(16);
  auto n = d.desktop.vfs().read(reader->fh, 0, buffer);
  REQUIRE(n.ok());
  CHECK(Bytes(buffer.begin(), buffer.begin() + static_cast<long>(*n)) == Bytes{'2', '2'});
  REQUIRE(d.desktop.vfs().release(reader->fh).ok());
  REQUIRE(*d.desktop.vfs().refresh_node(id) == Refresh::done);
  CHECK(d.desktop.read_file(ino) == Bytes{'3', '3'});
}

TEST_CASE("attribute changes are applied; a server that offers an older record is refused") {
  TwoDevices d;
  const auto laptop_ino = d.laptop.write_file(kRootIno, "f", Bytes{'x'});
  d.laptop.drain();
  const auto ino = d.desktop.lookup(kRootIno, "f");
  const std::string id = id_of(d.remote, d.account.root_id, 0);
  const auto before = *d.remote.node(id);

  vfs::SetAttrRequest chmod;
  chmod.mode = 0600;
  REQUIRE(d.laptop.vfs().setattr(laptop_ino, chmod).ok());
  REQUIRE(d.laptop.vfs().setxattr(laptop_ino, "user.tag", Bytes{'b', 'l', 'u', 'e'}, vfs::XattrMode::any).ok());
  d.laptop.drain();
  CHECK(d.desktop_mode(ino) == 0644);
  REQUIRE(*d.desktop.vfs().refresh_node(id) == Refresh::done);
  CHECK(d.desktop_mode(ino) == 0600);
  CHECK(d.desktop.vfs().getxattr(ino, "user.tag").value() == Bytes{'b', 'l', 'u', 'e'});

  // A lying feed entry only makes the desktop read again; the older record is refused.
  d.remote.restore_node(before);
  d.remote.add_change(id, std::nullopt, "attributes");
  CHECK(d.desktop.vfs().refresh_node(id).error().code == Errc::integrity);
  CHECK(d.desktop.vfs().getattr(ino).error().code == Errc::integrity);
}

TEST_CASE("folders and nodes the mount never read are not read for the feed") {
  TwoDevices d;
  d.laptop.write_file(kRootIno, "f", Bytes{'x'});
  REQUIRE(d.laptop.vfs().mkdir(kRootIno, "d", 0755, {0, 0}).ok());
  d.laptop.drain();
  const std::vector<std::string> ids{id_of(d.remote, d.account.root_id, 0), id_of(d.remote, d.account.root_id, 1)};
  d.remote.set_offline(true);  // any request would fail
  CHECK(*refresh_root(d) == Refresh::done);
  for (const auto& id : ids) {
    CHECK(*d.desktop.vfs().refresh_folder(id) == Refresh::done);
    CHECK(*d.desktop.vfs().refresh_node(id) == Refresh::done);
  }
  d.remote.set_offline(false);
}
