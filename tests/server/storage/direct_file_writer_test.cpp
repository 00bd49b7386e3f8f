#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "server/storage/local/direct_file_writer.hpp"
#include "tests/server/support/temp_dir.hpp"

using namespace coffer::server::storage;
using coffer::test::TempDir;

namespace {

std::string pattern(std::size_t size) {
  std::string data(size, '\0');
  for (std::size_t i = 0; i < size; ++i) data[i] = static_cast<char>((i * 131 + i / 4096) % 251);
  return data;
}

void write_in_pieces(const std::filesystem::path& path, const std::string& data, std::size_t piece) {
  DirectFileWriter writer(FileDescriptor(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)), path);
  for (std::size_t done = 0; done < data.size(); done += piece) {
    REQUIRE(writer.append(std::string_view(data).substr(done, piece)));
  }
  REQUIRE(writer.finish());
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Pages of the file found in the page cache (mincore over a mapping of it).
std::size_t cached_pages(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  const auto size = static_cast<std::size_t>(::lseek(fd, 0, SEEK_END));
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  ::close(fd);
  REQUIRE(map != MAP_FAILED);
  const long page = ::sysconf(_SC_PAGESIZE);
  std::vector<unsigned char> resident((size + page - 1) / page);
  REQUIRE(::mincore(map, size, resident.data()) == 0);
  ::munmap(map, size);
  std::size_t count = 0;
  for (unsigned char flag : resident) count += flag & 1;
  return count;
}

bool on_tmpfs(const std::filesystem::path& path) {
  struct statfs info {};
  return ::statfs(path.c_str(), &info) == 0 && info.f_type == TMPFS_MAGIC;
}

void check_round_trips(const std::filesystem::path& dir) {
  const std::size_t mib = std::size_t{1} << 20;
  for (std::size_t size : {std::size_t{0}, std::size_t{1}, std::size_t{4095}, std::size_t{4096}, std::size_t{4097},
                           mib, mib + 1, 3 * mib + 17}) {
    for (std::size_t piece : {std::size_t{4096}, std::size_t{7777}, std::max<std::size_t>(size, 1)}) {
      CAPTURE(size);
      CAPTURE(piece);
      const auto path = dir / ("file-" + std::to_string(size) + "-" + std::to_string(piece));
      const std::string data = pattern(size);
      write_in_pieces(path, data, piece);
      CHECK(std::filesystem::file_size(path) == size);
      CHECK(read_file(path) == data);
    }
  }
}

}  // namespace

TEST_CASE("a file written in pieces of any size reads back whole, with its exact length") {
  TempDir dir;
  check_round_trips(dir.path());
}

TEST_CASE("on tmpfs, which may refuse O_DIRECT, the same writes go through the page cache") {
  if (!std::filesystem::is_directory("/dev/shm") || !on_tmpfs("/dev/shm")) {
    MESSAGE("skipped: /dev/shm is not a tmpfs on this machine");
    return;
  }
  const auto dir = std::filesystem::path("/dev/shm") / ("coffer-direct-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  check_round_trips(dir);
  std::filesystem::remove_all(dir);
}

TEST_CASE("on a disk file system the data does not pass through the page cache") {
  TempDir dir;
  if (on_tmpfs(dir.path())) {
    MESSAGE("skipped: $TMPDIR is a tmpfs, which is the page cache");
    return;
  }
  const auto path = dir.path() / "big";
  write_in_pieces(path, pattern(3 * (std::size_t{1} << 20) + 5), 4096);
  CHECK(cached_pages(path) == 0);
}
