#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "test_mount.hpp"

using namespace coffer;
using coffer::test::MemoryRemote;
using coffer::test::TempDir;
using coffer::test::TestAccount;
using coffer::test::TestMount;
using coffer::vfs::kRootIno;

namespace {

constexpr std::uint64_t kChunk = 64 * 1024;  // small_chunk_config's chunk size

// Creates `name` and writes each piece at its offset, then truncates (or extends) to `size`.
std::uint64_t write_sparse(TestMount& mount, const std::string& name,
                           const std::vector<std::pair<std::uint64_t, Bytes>>& pieces, std::uint64_t size) {
  auto created = mount.vfs().create(kRootIno, name, 0644, O_RDWR | O_CREAT, {0, 0});
  REQUIRE(created.ok());
  for (const auto& [offset, bytes] : pieces) REQUIRE(mount.vfs().write(created->open.fh, offset, bytes, {0, 0}).ok());
  vfs::SetAttrRequest resize;
  resize.size = size;
  REQUIRE(mount.vfs().setattr(created->entry.ino, resize).ok());
  REQUIRE(mount.vfs().release(created->open.fh).ok());
  return created->entry.ino;
}

Result<std::uint64_t> seek(TestMount& mount, std::uint64_t ino, std::int64_t offset, int whence) {
  auto opened = mount.vfs().open(ino, O_RDONLY);
  REQUIRE(opened.ok());
  auto found = mount.vfs().lseek(opened->fh, offset, whence);
  REQUIRE(mount.vfs().release(opened->fh).ok());
  return found;
}

std::int64_t blocks_of(TestMount& mount, std::uint64_t ino) {
  auto attr = mount.vfs().getattr(ino);
  REQUIRE(attr.ok());
  return attr->st_blocks;
}

}  // namespace

TEST_CASE("a sparse file uploads only the chunks written and reads zeros in its holes") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  const Bytes mark{'x', 'y', 'z'};
  {
    TestMount mount(remote, account, dir.path() / "a");
    write_sparse(mount, "sparse", {{0, mark}, {50 * kChunk + 3, mark}, {200 * kChunk - 3, mark}}, 200 * kChunk);
    mount.drain();
  }
  CHECK(remote.blob_count() == 3);
  TestMount other(remote, account, dir.path() / "b");
  auto content = other.read_file(other.lookup(kRootIno, "sparse"));
  REQUIRE(content.size() == 200 * kChunk);
  CHECK(content[50 * kChunk + 3] == 'x');
  CHECK(content[200 * kChunk - 1] == 'z');
  CHECK(std::count(content.begin(), content.end(), 0) == static_cast<std::ptrdiff_t>(200 * kChunk - 9));
}

TEST_CASE("chunks written as zeros become holes when the file is committed") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  TestMount mount(remote, account, dir.path() / "a");
  Bytes content(3 * kChunk + 100, 0);
  content[kChunk + 7] = 1;  // only the second chunk holds data; the first, third and the tail are zeros
  auto ino = mount.write_file(kRootIno, "zeros", content);
  mount.drain();
  CHECK(remote.blob_count() == 1);
  CHECK(blocks_of(mount, ino) == 4096 / 512);  // one 4 KiB block of the stored chunk holds data
  CHECK(seek(mount, ino, 0, SEEK_DATA).value() == kChunk);
  CHECK(seek(mount, ino, kChunk, SEEK_HOLE).value() == 2 * kChunk);
  TestMount other(remote, account, dir.path() / "b");
  CHECK(other.read_file(other.lookup(kRootIno, "zeros")) == content);
}

TEST_CASE("st_blocks counts the 4 KiB blocks of data, written or stored, and a listing gives it without a manifest") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  {
    TestMount mount(remote, account, dir.path() / "a");
    auto created = mount.vfs().create(kRootIno, "grown", 0644, O_RDWR | O_CREAT, {0, 0});
    REQUIRE(created.ok());
    const std::uint64_t ino = created->entry.ino;
    REQUIRE(mount.vfs().write(created->open.fh, 5 * kChunk + 1, Bytes(10, 'a'), {0, 0}).ok());
    vfs::SetAttrRequest grow;
    grow.size = 20 * kChunk + 5;
    REQUIRE(mount.vfs().setattr(ino, grow).ok());
    CHECK(blocks_of(mount, ino) == 4096 / 512);  // written, not yet committed: one block holds the 10 bytes
    REQUIRE(mount.vfs().write(created->open.fh, 5 * kChunk + 3 * 4096, Bytes(4097, 'b'), {0, 0}).ok());
    CHECK(blocks_of(mount, ino) == 3 * 4096 / 512);  // 4097 bytes from a block's start: two more blocks
    REQUIRE(mount.vfs().release(created->open.fh).ok());
    CHECK(blocks_of(mount, ino) == 3 * 4096 / 512);
    mount.drain();
  }
  TestMount other(remote, account, dir.path() / "b");
  REQUIRE(other.vfs().opendir(kRootIno).ok());  // the listing is loaded; nothing more may be fetched
  remote.set_offline(true);
  auto ino = other.lookup(kRootIno, "grown");
  auto attr = other.vfs().getattr(ino);
  REQUIRE(attr.ok());
  CHECK(attr->st_size == static_cast<off_t>(20 * kChunk + 5));
  CHECK(attr->st_blocks == static_cast<blkcnt_t>(3 * 4096 / 512));
  remote.set_offline(false);
}

TEST_CASE("lseek SEEK_DATA and SEEK_HOLE follow the chunk map, before and after upload") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  const std::uint64_t size = 9 * kChunk + 100;  // the last chunk is a short hole
  TestMount mount(remote, account, dir.path() / "a");
  const std::uint64_t ino =
      write_sparse(mount, "map", {{2 * kChunk, Bytes(2 * kChunk, 7)}, {7 * kChunk + 9, Bytes{1}}}, size);
  mount.drain();
  TestMount other(remote, account, dir.path() / "b");
  const std::uint64_t cold = other.lookup(kRootIno, "map");
  for (auto [where, file] : {std::pair{&mount, ino}, std::pair{&other, cold}}) {
    TestMount& m = *where;
    CHECK(seek(m, file, 0, SEEK_DATA).value() == 2 * kChunk);
    CHECK(seek(m, file, 2 * kChunk + 5, SEEK_DATA).value() == 2 * kChunk + 5);
    CHECK(seek(m, file, 2 * kChunk, SEEK_HOLE).value() == 4 * kChunk);
    CHECK(seek(m, file, 4 * kChunk, SEEK_DATA).value() == 7 * kChunk);
    CHECK(seek(m, file, 7 * kChunk, SEEK_HOLE).value() == 8 * kChunk);
    CHECK(seek(m, file, 0, SEEK_HOLE).value() == 0);
    CHECK(seek(m, file, size - 1, SEEK_HOLE).value() == size - 1);
    CHECK(seek(m, file, 8 * kChunk, SEEK_DATA).error().code == Errc::past_end);
    CHECK(seek(m, file, size, SEEK_DATA).error().code == Errc::past_end);
    CHECK(seek(m, file, size, SEEK_HOLE).error().code == Errc::past_end);
    CHECK(seek(m, file, -1, SEEK_DATA).error().code == Errc::past_end);
    CHECK(seek(m, file, 0, SEEK_SET).error().code == Errc::invalid_argument);
  }
}

TEST_CASE("SEEK_HOLE in a file whose last chunk holds data is the end of the file") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  TestMount mount(remote, account, dir.path() / "a");
  const std::uint64_t size = 3 * kChunk + 10;
  const std::uint64_t ino = write_sparse(mount, "tail", {{3 * kChunk, Bytes(10, 3)}}, size);
  CHECK(seek(mount, ino, 0, SEEK_DATA).value() == 3 * kChunk);
  CHECK(seek(mount, ino, 3 * kChunk + 1, SEEK_HOLE).value() == size);
}

TEST_CASE("a sparse file committed while the server is down keeps its holes through the journal") {
  MemoryRemote remote;
  auto account = TestAccount::create(remote);
  TempDir dir;
  const Bytes mark{'m'};
  {
    TestMount mount(remote, account, dir.path() / "a");
    REQUIRE(mount.vfs().opendir(kRootIno).ok());  // the listing is cached before the server goes away
    remote.set_offline(true);
    write_sparse(mount, "journaled", {{3 * kChunk, mark}}, 10 * kChunk);
    CHECK(mount.runtime().queue().status().pending_ops > 0);
  }
  remote.set_offline(false);
  {
    TestMount restarted(remote, account, dir.path() / "a");  // replays the journal's commit op
    restarted.drain();
  }
  CHECK(remote.blob_count() == 1);
  TestMount other(remote, account, dir.path() / "b");
  const std::uint64_t ino = other.lookup(kRootIno, "journaled");
  Bytes expected(10 * kChunk, 0);
  expected[3 * kChunk] = 'm';
  CHECK(other.read_file(ino) == expected);
  CHECK(seek(other, ino, 0, SEEK_DATA).value() == 3 * kChunk);
  CHECK(blocks_of(other, ino) == 4096 / 512);  // the data blocks came through the journal's commit op
}
