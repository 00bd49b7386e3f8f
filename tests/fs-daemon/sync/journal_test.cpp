// The journal's framing (sync/journal_format.hpp) as a crash or a bad disk leaves it: torn
// tails, damaged records in the middle and first, another key, an older format.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <fstream>
#include <iterator>

#include "sync/journal.hpp"
#include "test_mount.hpp"

using namespace coffer;
using coffer::test::TempDir;

namespace {

sync::OpBody attributes_op(std::uint64_t n) {
  crypto::Attributes attributes;
  attributes.mode = S_IFREG | 0644;
  attributes.uid = static_cast<std::uint32_t>(n);
  return sync::SetAttributesOp{std::string(32, 'a'), SecureBytes(32, 7), attributes, n, 0};
}

Bytes read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::filesystem::path& path, const Bytes& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// A journal of `count` records; returns the offset where each record starts, and the end.
std::vector<std::size_t> write_journal(const std::filesystem::path& dir, const crypto::FernetKey& key, int count) {
  auto journal = sync::Journal::open(dir, key);
  REQUIRE(journal.ok());
  std::vector<std::size_t> offsets{std::filesystem::file_size(dir / "ops.log")};
  for (int i = 1; i <= count; ++i) {
    REQUIRE((*journal)->append(attributes_op(static_cast<std::uint64_t>(i))).ok());
    offsets.push_back(std::filesystem::file_size(dir / "ops.log"));
  }
  return offsets;
}

std::vector<std::uint64_t> replayed_seqs(const std::filesystem::path& dir, const crypto::FernetKey& key) {
  auto journal = sync::Journal::open(dir, key);
  REQUIRE_MESSAGE(journal.ok(), (journal.ok() ? "" : journal.error().message));
  std::vector<std::uint64_t> seqs;
  for (const auto& op : (*journal)->take_replayed()) seqs.push_back(op.seq);
  return seqs;
}

void flip(const std::filesystem::path& path, std::size_t offset) {
  Bytes bytes = read_bytes(path);
  bytes.at(offset) ^= 0x40;
  write_bytes(path, bytes);
}

std::ptrdiff_t damaged_files(const std::filesystem::path& dir) {
  return std::distance(std::filesystem::directory_iterator(dir / "damaged"), std::filesystem::directory_iterator());
}

}  // namespace

TEST_CASE("a torn tail is cut off and kept in damaged/; the records before it replay") {
  TempDir dir;
  auto key = crypto::FernetKey::generate();
  auto offsets = write_journal(dir.path(), key, 3);
  std::filesystem::resize_file(dir.path() / "ops.log", offsets[3] - 10);  // the third record half written
  CHECK(replayed_seqs(dir.path(), key) == std::vector<std::uint64_t>{1, 2});
  CHECK(std::filesystem::file_size(dir.path() / "ops.log") == offsets[2]);
  CHECK(damaged_files(dir.path()) == 1);
  auto journal = sync::Journal::open(dir.path(), key);
  REQUIRE(journal.ok());
  CHECK((*journal)->damaged_count() == 1);
  CHECK((*journal)->append(attributes_op(9)).value() == 3);  // the lost seq is used again: the server never saw it
}

TEST_CASE("a damaged record in the middle is reported and every record after it replays") {
  TempDir dir;
  auto key = crypto::FernetKey::generate();
  auto offsets = write_journal(dir.path(), key, 5);
  flip(dir.path() / "ops.log", offsets[1] + 40);  // inside the second record's token
  CHECK(replayed_seqs(dir.path(), key) == std::vector<std::uint64_t>{1, 3, 4, 5});
  CHECK(std::filesystem::file_size(dir.path() / "ops.log") == offsets[5]);  // nothing cut
  auto journal = sync::Journal::open(dir.path(), key);
  REQUIRE(journal.ok());
  CHECK((*journal)->damaged_count() == 1);  // found at every open, kept once
  Bytes kept = read_bytes(std::filesystem::directory_iterator(dir.path() / "damaged")->path());
  CHECK(kept.size() == offsets[2] - offsets[1]);
  CHECK((*journal)->last_seq() == 5);
  CHECK((*journal)->append(attributes_op(6)).value() == 6);
}

TEST_CASE("a damaged record header, whose length cannot be trusted, costs only its own record") {
  TempDir dir;
  auto key = crypto::FernetKey::generate();
  auto offsets = write_journal(dir.path(), key, 4);
  flip(dir.path() / "ops.log", offsets[2] + 13);  // the third record's length field
  CHECK(replayed_seqs(dir.path(), key) == std::vector<std::uint64_t>{1, 2, 4});
}

TEST_CASE("a damaged first record is damage, not a wrong key: the records after it replay") {
  TempDir dir;
  auto key = crypto::FernetKey::generate();
  auto offsets = write_journal(dir.path(), key, 3);
  flip(dir.path() / "ops.log", offsets[0] + 60);
  CHECK(replayed_seqs(dir.path(), key) == std::vector<std::uint64_t>{2, 3});
}

TEST_CASE("a journal under another key is refused and left as it is, not taken for damage") {
  TempDir dir;
  auto offsets = write_journal(dir.path(), crypto::FernetKey::generate(), 3);
  Bytes before = read_bytes(dir.path() / "ops.log");
  auto journal = sync::Journal::open(dir.path(), crypto::FernetKey::generate());
  REQUIRE_FALSE(journal.ok());
  CHECK(journal.error().code == Errc::integrity);
  CHECK(journal.error().message.find("journal key") != std::string::npos);
  CHECK(read_bytes(dir.path() / "ops.log") == before);
  CHECK(std::filesystem::is_empty(dir.path() / "damaged"));
}

TEST_CASE("a journal of format 1 (no header) is refused by name and left as it is") {
  TempDir dir;
  auto key = crypto::FernetKey::generate();
  Bytes token = crypto::fernet_encrypt_raw(key, as_bytes(sync::encode_op({1, attributes_op(1)})));
  Bytes old{static_cast<std::uint8_t>(token.size()), static_cast<std::uint8_t>(token.size() >> 8), 0, 0};
  old.insert(old.end(), token.begin(), token.end());
  write_bytes(dir.path() / "ops.log", old);
  auto journal = sync::Journal::open(dir.path(), key);
  REQUIRE_FALSE(journal.ok());
  CHECK(journal.error().code == Errc::unsupported);
  CHECK(journal.error().message.find((dir.path() / "ops.log").string()) != std::string::npos);
  CHECK(journal.error().message.find("format 1") != std::string::npos);
  CHECK(read_bytes(dir.path() / "ops.log") == old);
}

TEST_CASE("an empty log from an older coffer gets the header; a log acknowledged to the end keeps it") {
  TempDir dir;
  auto key = crypto::FernetKey::generate();
  write_bytes(dir.path() / "ops.log", {});
  {
    auto journal = sync::Journal::open(dir.path(), key);
    REQUIRE(journal.ok());
    auto seq = (*journal)->append(attributes_op(1));
    REQUIRE(seq.ok());
    REQUIRE((*journal)->acknowledge(*seq).ok());
  }
  CHECK(std::filesystem::file_size(dir.path() / "ops.log") == sync::kLogHeaderSize);
  CHECK(replayed_seqs(dir.path(), key).empty());
}
