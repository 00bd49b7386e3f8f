#include <doctest/doctest.h>

#include <chrono>
#include <optional>
#include <thread>

#include "test_mount.hpp"
#include "vfs/metadata_writer.hpp"

// The persistent metadata cache on the Vfs's side: what one mount of a profile wrote, the next
// serves without listing, unless the rollback guard knows a newer state.
using namespace coffer;
using coffer::test::MemoryRemote;
using coffer::test::TempDir;
using coffer::test::TestAccount;
using coffer::test::TestMount;
using coffer::test::names_in;
using coffer::vfs::kRootIno;

namespace {

std::uint64_t feed_end(MemoryRemote& remote) { return remote.changes(std::nullopt, std::chrono::seconds(0), {})->cursor; }

// A mount that keeps the metadata cache as the daemon does, stopped cleanly at the end.
struct CachingMount {
  TestMount mount;
  vfs::MetadataWriter writer;

  CachingMount(MemoryRemote& remote, const TestAccount& account, const std::filesystem::path& profile, bool serve)
      : mount(remote, account, profile),
        writer(mount.vfs(), *mount.stores().metadata, mount.runtime().queue(), std::chrono::milliseconds(20)) {
    mount.vfs().attach_metadata(mount.stores().metadata.get());
    if (serve) mount.vfs().serve_metadata();
    writer.feed_current(feed_end(remote));
    writer.start(mount.stores().metadata->state());
  }
  void stop() {
    mount.drain();
    writer.stop();
  }
};

std::vector<std::string> docs_names(TestMount& mount) {
  return names_in(mount.vfs(), mount.lookup(kRootIno, "docs"));
}

}  // namespace

TEST_CASE("a remount lists cached folders without a listing request, with sizes and contents intact") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  {
    CachingMount first(remote, account, dir.path() / "profile", false);
    auto& vfs = first.mount.vfs();
    auto docs = vfs.mkdir(kRootIno, "docs", 0750, {1000, 1000});
    REQUIRE(docs.ok());
    first.mount.write_file(docs->ino, "a.txt", Bytes(3000, 'a'));
    first.mount.write_file(docs->ino, "b.txt", Bytes{'b'});
    first.stop();
    REQUIRE(first.mount.stores().metadata->state());
    CHECK(first.mount.stores().metadata->state()->clean);
  }
  const auto listed = remote.entry_listings();
  CachingMount second(remote, account, dir.path() / "profile", true);
  CHECK(names_in(second.mount.vfs(), kRootIno) == std::vector<std::string>{".", "..", "docs"});
  CHECK(docs_names(second.mount) == std::vector<std::string>{".", "..", "a.txt", "b.txt"});
  const auto a = second.mount.lookup(second.mount.lookup(kRootIno, "docs"), "a.txt");
  auto st = second.mount.vfs().getattr(a);
  REQUIRE(st.ok());
  CHECK(st->st_size == 3000);
  CHECK((st->st_mode & 07777) == 0644);
  CHECK((second.mount.vfs().getattr(second.mount.lookup(kRootIno, "docs"))->st_mode & 07777) == 0750);
  CHECK(remote.entry_listings() == listed);
  CHECK(second.mount.read_file(a) == Bytes(3000, 'a'));  // the node key came back from the cache
  second.stop();
}

TEST_CASE("a cached folder older than the guard's revision is listed from the server instead") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  {
    CachingMount first(remote, account, dir.path() / "profile", false);
    REQUIRE(first.mount.vfs().mkdir(kRootIno, "docs", 0755, {1000, 1000}).ok());
    first.stop();
  }
  {
    // Another device adds a file; this profile sees the new revision in a mount that keeps no
    // cache (the guard remembers it, the cache still holds the older listing).
    TestMount other(remote, account, dir.path() / "other");
    other.write_file(other.lookup(kRootIno, "docs"), "new.txt", Bytes{'n'});
    other.drain();
    TestMount plain(remote, account, dir.path() / "profile");
    CHECK(docs_names(plain) == std::vector<std::string>{".", "..", "new.txt"});
  }
  const auto listed = remote.entry_listings();
  CachingMount third(remote, account, dir.path() / "profile", true);
  CHECK(docs_names(third.mount) == std::vector<std::string>{".", "..", "new.txt"});
  CHECK(remote.entry_listings() == listed + 1);  // docs only: the root came from the cache
  third.stop();
}

TEST_CASE("an upload set aside empties the cache: the mount may show what the server never took") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  CachingMount first(remote, account, dir.path() / "profile", false);
  REQUIRE(first.mount.vfs().mkdir(kRootIno, "docs", 0755, {1000, 1000}).ok());
  first.mount.drain();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!first.mount.stores().metadata->read({cache::MetadataKind::folder, account.root_id})) {
    REQUIRE(std::chrono::steady_clock::now() < deadline);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // A name another device took meanwhile: the create fails for good and is set aside.
  {
    TestMount other(remote, account, dir.path() / "other");
    other.write_file(kRootIno, "taken", Bytes{'o'});
    other.drain();
  }
  first.mount.write_file(kRootIno, "taken", Bytes{'m'});
  // Its result is the failure counted below.
  (void)first.mount.runtime().drain(std::chrono::steady_clock::now() + std::chrono::seconds(20));
  REQUIRE(first.mount.runtime().queue().status().failed_ops > 0);
  first.writer.stop();
  CHECK_FALSE(first.mount.stores().metadata->state());
  CHECK_FALSE(first.mount.stores().metadata->read({cache::MetadataKind::folder, account.root_id}));
}
