#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "server/backup/blob_copy.hpp"
#include "server/backup/snapshot_create.hpp"
#include "server/backup/snapshot_prune.hpp"
#include "server/backup/snapshot_restore.hpp"
#include "server/backup/snapshot_verify.hpp"
#include "server/daemon/backup_scheduler.hpp"
#include "server/daemon/data_dir.hpp"
#include "server/storage/local/sha256_stream.hpp"
#include "server/storage/sqlite/connection.hpp"

namespace fs = std::filesystem;
using namespace coffer::server;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "coffer-backup-test-XXXXXX").string();
    path = ::mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path); }
};

// A data directory with `count` blobs listed in its database (rows only: the backup does not
// care who holds them).
struct World {
  TempDir temp;
  std::unique_ptr<daemon::DataDir> data;
  std::vector<std::string> ids;

  World() {
    auto opened = daemon::DataDir::open(temp.path / "data", daemon::DataDir::Role::admin, 2);
    REQUIRE(opened);
    data = std::move(*opened);
  }

  std::string add_blob(const std::string& bytes) {
    const auto id = storage::Sha256Stream::hex_of(bytes);
    REQUIRE(data->blobs().put_many(std::vector<storage::BlobData>{{id, bytes}}));
    auto db = storage::sqlite::Connection::open(temp.path / "data" / "coffer.db", std::chrono::milliseconds(1000));
    REQUIRE(db);
    auto insert = (*db)->query("INSERT INTO blobs(id, size, created_at) VALUES (?1, ?2, 0)");
    REQUIRE(insert);
    REQUIRE(insert->bind(1, id).bind(2, static_cast<std::int64_t>(bytes.size())).run());
    ids.push_back(id);
    return id;
  }

  std::unique_ptr<backup::BackupRepository> repository() {
    auto opened = backup::BackupRepository::create_or_open(temp.path / "backup");
    REQUIRE(opened);
    return std::move(*opened);
  }

  backup::SnapshotInfo snapshot(backup::BackupRepository& repository, std::int64_t now) {
    auto made = backup::create_snapshot(temp.path / "data" / "coffer.db", data->blobs(), repository, now, {});
    REQUIRE(made);
    return *made;
  }
};

void flip_first_byte(const fs::path& file) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  char c = 0;
  f.read(&c, 1);
  f.seekp(0);
  c = static_cast<char>(c ^ 1);
  f.write(&c, 1);
}

}  // namespace

TEST_CASE("a second snapshot copies only new blobs, and restores hold every blob") {
  World world;
  world.add_blob("one");
  world.add_blob("two");
  auto repository = world.repository();
  auto first = world.snapshot(*repository, 1000);
  CHECK(first.blobs == 2);
  CHECK(first.copied_blobs == 2);
  world.add_blob("three");
  auto second = world.snapshot(*repository, 2000);
  CHECK(second.blobs == 3);
  CHECK(second.copied_blobs == 1);
  CHECK(first.name != second.name);

  auto report = backup::verify_snapshots(*repository, "", {});
  REQUIRE(report);
  CHECK(report->problems.empty());
  CHECK(report->blobs == 3);

  auto restored = backup::restore_snapshot(*repository, first.name, world.temp.path / "restored", {});
  REQUIRE(restored);
  auto store = storage::LocalBlobStore::attach(world.temp.path / "restored" / "blobs");
  REQUIRE(store);
  CHECK(*(*store)->contains(world.ids[0]));
  CHECK(*(*store)->contains(world.ids[1]));
  CHECK_FALSE(*(*store)->contains(world.ids[2]));  // not in the first snapshot
  CHECK(backup::restore_snapshot(*repository, "", world.temp.path / "restored", {}).error().code ==
        coffer::Errc::already_exists);
}

TEST_CASE("a damaged live blob is left out and named, everything else is backed up") {
  World world;
  const auto good = world.add_blob("good");
  const auto bad = world.add_blob("bad");
  flip_first_byte(world.temp.path / "data" / "blobs" / bad.substr(0, 2) / bad);
  auto repository = world.repository();
  auto made = world.snapshot(*repository, 1000);
  CHECK(made.damaged == std::vector<std::string>{bad});
  CHECK(*repository->blobs().contains(good));
  CHECK_FALSE(*repository->blobs().contains(bad));
  auto report = backup::verify_snapshots(*repository, "", {});
  REQUIRE(report);
  CHECK_FALSE(report->problems.empty());
}

TEST_CASE("verify names a tampered database and a tampered blob") {
  World world;
  const auto id = world.add_blob("payload");
  auto repository = world.repository();
  auto made = world.snapshot(*repository, 1000);
  flip_first_byte(repository->blobs().root() / id.substr(0, 2) / id);
  auto report = backup::verify_snapshots(*repository, made.name, {});
  REQUIRE(report);
  REQUIRE(report->problems.size() == 1);
  CHECK(report->problems[0] == "blob " + id + ": its bytes do not hash to its id");

  flip_first_byte(repository->database_of(made.name));
  report = backup::verify_snapshots(*repository, made.name, {});
  REQUIRE(report);
  CHECK(report->problems[0].find("coffer.db does not hash") != std::string::npos);
  CHECK(backup::restore_snapshot(*repository, made.name, world.temp.path / "r", {}).error().code ==
        coffer::Errc::integrity);
}

TEST_CASE("pruning keeps the newest snapshots and exactly the blobs they list") {
  World world;
  const auto old_only = world.add_blob("old");
  auto repository = world.repository();
  world.snapshot(*repository, 1000);
  {
    auto db = coffer::server::storage::sqlite::Connection::open(world.temp.path / "data" / "coffer.db",
                                                               std::chrono::milliseconds(1000));
    REQUIRE(db);
    REQUIRE((*db)->exec("DELETE FROM blobs"));
  }
  const auto kept = world.add_blob("new");
  auto newest = world.snapshot(*repository, 2000);
  auto removed = backup::prune_snapshots(*repository, 1);
  REQUIRE(removed);
  CHECK(*removed == 1);
  auto all = repository->snapshots();
  REQUIRE(all);
  REQUIRE(all->size() == 1);
  CHECK(all->front().name == newest.name);
  CHECK_FALSE(*repository->blobs().contains(old_only));
  CHECK(*repository->blobs().contains(kept));
}

TEST_CASE("a run that stopped half way leaves no snapshot, and the next run cleans it") {
  World world;
  world.add_blob("a");
  std::stop_source stop;
  stop.request_stop();
  {
    auto repository = world.repository();
    auto made = backup::create_snapshot(world.temp.path / "data" / "coffer.db", world.data->blobs(), *repository, 1000,
                                        {}, stop.get_token());
    CHECK(made.error().code == coffer::Errc::unavailable);
    CHECK(repository->snapshots()->empty());
  }
  auto repository = world.repository();  // a new run removes the partial folder
  for (const auto& entry : fs::directory_iterator(world.temp.path / "backup" / "snapshots")) {
    CHECK(entry.path().extension() != ".partial");
  }
  CHECK(world.snapshot(*repository, 2000).blobs == 1);
}

TEST_CASE("a second run into a locked folder is refused") {
  World world;
  auto first = world.repository();
  auto second = backup::BackupRepository::create_or_open(world.temp.path / "backup");
  REQUIRE_FALSE(second);
  CHECK(second.error().code == coffer::Errc::unavailable);
}

TEST_CASE("when a scheduled backup is due") {
  BackupSchedule every;
  every.dir = "/b";
  every.every = std::chrono::hours(6);
  CHECK(daemon::next_backup_at(every, std::nullopt, 100000, 0) == 100000);
  CHECK(daemon::next_backup_at(every, 90000, 100000, 0) == 90000 + 6 * 3600);

  BackupSchedule daily;
  daily.dir = "/b";
  daily.daily_at = std::chrono::minutes(3 * 60 + 30);  // 03:30
  const std::int64_t day = 86400;
  const std::int64_t midnight = 20000 * day;  // a UTC midnight
  // 04:00, the newest from yesterday 05:00: today's 03:30 passed without one, so now.
  CHECK(daemon::next_backup_at(daily, midnight - 19 * 3600, midnight + 4 * 3600, 0) == midnight + 4 * 3600);
  // 04:00, the newest from today 03:31: tomorrow 03:30.
  CHECK(daemon::next_backup_at(daily, midnight + 3 * 3600 + 31 * 60, midnight + 4 * 3600, 0) ==
        midnight + day + 3 * 3600 + 1800);
  // 02:00, the newest from yesterday 03:31: today 03:30.
  CHECK(daemon::next_backup_at(daily, midnight - day + 3 * 3600 + 31 * 60, midnight + 2 * 3600, 0) ==
        midnight + 3 * 3600 + 1800);
  // Local time two hours ahead of UTC: 03:30 local is 01:30 UTC.
  CHECK(daemon::next_backup_at(daily, midnight, midnight + 1 * 3600, 2 * 3600) == midnight + 3600 + 1800);
}
