#include <doctest/doctest.h>

#include <fstream>
#include <string>
#include <vector>

#include "server/storage/local/local_blob_store.hpp"
#include "server/storage/local/sha256_stream.hpp"
#include "tests/server/support/temp_dir.hpp"

using namespace coffer::server::storage;
using coffer::Errc;
using coffer::test::TempDir;

namespace {

std::unique_ptr<LocalBlobStore> open_store(const TempDir& dir) {
  auto store = LocalBlobStore::open(dir.path() / "blobs");
  REQUIRE(store);
  return std::move(*store);
}

std::string read_all(BlobStore& store, const std::string& id) {
  auto reader = store.open(id);
  REQUIRE(reader);
  std::string out((*reader)->size(), '\0');
  auto got = (*reader)->read_at(0, std::span<char>(out.data(), out.size()));
  REQUIRE(got);
  CHECK(*got == out.size());
  return out;
}

std::size_t temp_files(const TempDir& dir) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path() / "blobs" / "tmp")) ++count;
  return count;
}

}  // namespace

TEST_CASE("a streamed blob is stored under its hash in a shard folder") {
  TempDir dir;
  auto store = open_store(dir);
  const std::string data = "hello, blob";
  const std::string id = Sha256Stream::hex_of(data);
  auto writer = store->create(id, 1024);
  REQUIRE(writer);
  REQUIRE((*writer)->write("hello, "));
  REQUIRE((*writer)->write("blob"));
  auto size = (*writer)->commit();
  REQUIRE(size);
  CHECK(*size == data.size());
  CHECK(std::filesystem::exists(dir.path() / "blobs" / id.substr(0, 2) / id));
  CHECK(read_all(*store, id) == data);
  CHECK(*store->contains(id));
  CHECK(temp_files(dir) == 0);
}

TEST_CASE("a body that does not hash to the id is refused and leaves nothing") {
  TempDir dir;
  auto store = open_store(dir);
  const std::string id = Sha256Stream::hex_of("expected");
  {
    auto writer = store->create(id, 1024);
    REQUIRE(writer);
    REQUIRE((*writer)->write("something else"));
    auto committed = (*writer)->commit();
    REQUIRE_FALSE(committed);
    CHECK(committed.error().code == Errc::integrity);
  }
  CHECK_FALSE(*store->contains(id));
  CHECK(temp_files(dir) == 0);
}

TEST_CASE("the size limit is enforced while streaming") {
  TempDir dir;
  auto store = open_store(dir);
  auto writer = store->create(std::string(64, 'a'), 4);
  REQUIRE(writer);
  auto written = (*writer)->write("12345");
  REQUIRE_FALSE(written);
  CHECK(written.error().code == Errc::too_large);
}

TEST_CASE("ids that are not SHA-256 hex never reach the file system") {
  TempDir dir;
  auto store = open_store(dir);
  for (const std::string& bad : {std::string("../../etc/passwd"), std::string(64, 'A'), std::string(63, 'a'),
                                 std::string(32, 'a') + std::string("\0", 1) + std::string(31, 'a'),
                                 std::string("..") + std::string(62, 'a')}) {
    CHECK(store->create(bad, 10).error().code == Errc::invalid_argument);
    CHECK(store->open(bad).error().code == Errc::invalid_argument);
    CHECK_FALSE(store->contains(bad).ok());
  }
  CHECK(store->open(std::string(64, 'a')).error().code == Errc::not_found);
}

TEST_CASE("put_many verifies all blobs before storing any") {
  TempDir dir;
  auto store = open_store(dir);
  const std::vector<std::string> bodies{"one", "two", "three"};
  std::vector<BlobData> blobs;
  for (const auto& body : bodies) blobs.push_back({Sha256Stream::hex_of(body), body});
  blobs.push_back({Sha256Stream::hex_of("four"), "not four"});
  auto refused = store->put_many(blobs);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == Errc::integrity);
  for (const auto& blob : blobs) CHECK_FALSE(*store->contains(blob.id));
  blobs.pop_back();
  REQUIRE(store->put_many(blobs));
  for (std::size_t i = 0; i < bodies.size(); ++i) CHECK(read_all(*store, blobs[i].id) == bodies[i]);
  CHECK(temp_files(dir) == 0);
}

TEST_CASE("ranged reads and leftovers of a crash") {
  TempDir dir;
  {
    auto store = open_store(dir);
    const std::string data = "0123456789";
    const auto id = Sha256Stream::hex_of(data);
    REQUIRE(store->put_many(std::vector<BlobData>{{id, data}}));
    auto reader = store->open(id);
    REQUIRE(reader);
    std::string part(4, '\0');
    CHECK(*(*reader)->read_at(8, std::span<char>(part.data(), part.size())) == 2);
    CHECK(part.substr(0, 2) == "89");
    std::ofstream(dir.path() / "blobs" / "tmp" / "blob-left") << "half";
  }
  auto reopened = open_store(dir);
  CHECK(temp_files(dir) == 0);
  REQUIRE(reopened->remove(Sha256Stream::hex_of("0123456789")));
  CHECK(reopened->remove(Sha256Stream::hex_of("0123456789")).error().code == Errc::not_found);
}

TEST_CASE("removing many blobs: the named ones go, missing ones are no error, the others stay") {
  TempDir dir;
  auto store = open_store(dir);
  const std::vector<std::string> bodies = {"first", "second", "kept"};
  std::vector<BlobData> blobs;
  for (const auto& body : bodies) blobs.push_back({Sha256Stream::hex_of(body), body});
  REQUIRE(store->put_many(blobs));
  const std::vector<std::string> gone = {blobs[0].id, blobs[1].id, Sha256Stream::hex_of("never stored")};
  REQUIRE(store->remove_many(gone));
  CHECK_FALSE(*store->contains(blobs[0].id));
  CHECK_FALSE(*store->contains(blobs[1].id));
  CHECK(read_all(*store, blobs[2].id) == "kept");
  const std::vector<std::string> bad = {"../escape"};
  CHECK(store->remove_many(bad).error().code == Errc::invalid_argument);
}

TEST_CASE("staged blobs stay invisible until published; the others are removed with the staging") {
  for (const std::size_t count : {std::size_t{2}, std::size_t{6}}) {  // per-file syncs, and syncfs
    TempDir dir;
    auto store = open_store(dir);
    std::vector<std::string> bodies;
    std::vector<BlobData> blobs;
    for (std::size_t i = 0; i < count; ++i) bodies.push_back("staged blob " + std::to_string(i));
    for (const auto& body : bodies) blobs.push_back({Sha256Stream::hex_of(body), body});
    {
      auto staged = store->stage_many(blobs);
      REQUIRE(staged);
      CHECK(temp_files(dir) == count);
      for (const auto& blob : blobs) CHECK_FALSE(*store->contains(blob.id));
      const std::vector<std::string> chosen{blobs[0].id};
      CHECK((*staged)->publish(std::vector<std::string>{std::string(64, 'f')}).error().code == Errc::invalid_argument);
      REQUIRE((*staged)->publish(chosen));
      CHECK(read_all(*store, blobs[0].id) == bodies[0]);
    }
    CHECK(temp_files(dir) == 0);
    for (std::size_t i = 1; i < count; ++i) CHECK_FALSE(*store->contains(blobs[i].id));
  }
}

TEST_CASE("a finished blob that is never published leaves nothing") {
  TempDir dir;
  auto store = open_store(dir);
  const std::string data = "refused upload";
  const auto id = Sha256Stream::hex_of(data);
  {
    auto writer = store->create(id, 100);
    REQUIRE(writer);
    REQUIRE((*writer)->write(data));
    CHECK(*(*writer)->finish() == data.size());
    CHECK(temp_files(dir) == 1);
    CHECK_FALSE(*store->contains(id));
  }
  CHECK(temp_files(dir) == 0);
  CHECK_FALSE(*store->contains(id));
}
