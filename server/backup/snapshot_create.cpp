#include "server/backup/snapshot_create.hpp"

#include <sqlite3.h>

#include <fstream>
#include <vector>

#include "server/backup/blob_copy.hpp"
#include "server/storage/local/posix_file.hpp"
#include "server/storage/local/sha256_stream.hpp"
#include "server/storage/sqlite/connection.hpp"
#include "server/storage/sqlite/migrations.hpp"

namespace coffer::server::backup {
namespace {

using storage::sqlite::Connection;
using storage::sqlite::OpenMode;

constexpr int kAttempts = 3;
constexpr std::chrono::milliseconds kBusyTimeout{10000};

// SQLite's online backup in one step: the copy is the database as one read transaction saw it.
Status copy_database(const std::filesystem::path& live, const std::filesystem::path& copy) {
  std::error_code ignored;
  std::filesystem::remove(copy, ignored);
  auto source = Connection::open(live, kBusyTimeout, OpenMode::live);
  if (!source) return source.error();
  auto target = Connection::open(copy, kBusyTimeout, OpenMode::single_file);
  if (!target) return target.error();
  sqlite3_backup* backup = sqlite3_backup_init((*target)->handle(), "main", (*source)->handle(), "main");
  if (backup == nullptr) {
    return storage::sqlite::sqlite_error((*target)->handle(), sqlite3_errcode((*target)->handle()),
                                         "cannot start the online backup of " + live.string());
  }
  const int stepped = sqlite3_backup_step(backup, -1);
  const int finished = sqlite3_backup_finish(backup);
  if (stepped != SQLITE_DONE) {
    return storage::sqlite::sqlite_error((*target)->handle(), stepped, "online backup of " + live.string());
  }
  if (finished != SQLITE_OK) {
    return storage::sqlite::sqlite_error((*target)->handle(), finished, "online backup of " + live.string());
  }
  // The copied header says WAL, as the live file does; the snapshot must be one file.
  return (*target)->exec("PRAGMA journal_mode=DELETE;");
}

struct DatabaseFacts {
  int schema_version = 0;
  std::vector<BlobRef> blobs;
  std::uint64_t blob_bytes = 0;
};

Result<DatabaseFacts> read_facts(const std::filesystem::path& database) {
  auto connection = Connection::open(database, kBusyTimeout, OpenMode::read_only);
  if (!connection) return connection.error();
  DatabaseFacts facts;
  auto version = storage::sqlite::schema_version(**connection);
  if (!version) return version.error();
  facts.schema_version = *version;
  auto& db = **connection;
  COFFER_QUERY(rows, db, "SELECT id, size FROM blobs ORDER BY id");
  while (rows.next()) {
    facts.blobs.push_back({rows.text(0), rows.uint64(1)});
    facts.blob_bytes += rows.uint64(1);
  }
  COFFER_TRY_STATUS(rows.status());
  return facts;
}

}  // namespace

Result<std::string> file_sha256(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return storage::io_error("cannot read", file);
  storage::Sha256Stream hash;
  std::vector<char> piece(1u << 20);
  while (in) {
    in.read(piece.data(), static_cast<std::streamsize>(piece.size()));
    hash.update(std::string_view(piece.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) return storage::io_error("cannot read", file);
  return hash.hex_digest();
}

Result<SnapshotInfo> create_snapshot(const std::filesystem::path& live_database, storage::BlobStore& live_blobs,
                                     BackupRepository& repository, std::int64_t now, const ProgressSink& progress,
                                     std::stop_token stop) {
  auto name = repository.begin_snapshot(now);
  if (!name) return name.error();
  const auto database = repository.partial_dir(*name) / "coffer.db";
  SnapshotInfo info;
  info.name = *name;
  info.created = now;
  for (int attempt = 1;; ++attempt) {
    COFFER_TRY_STATUS(copy_database(live_database, database));
    auto facts = read_facts(database);
    if (!facts) return facts.error();
    auto copied = copy_blobs(live_blobs, repository.blobs(), facts->blobs, progress, stop);
    if (!copied) return copied.error();
    info.copied_blobs += copied->copied_blobs;
    info.copied_bytes += copied->copied_bytes;
    if (!copied->missing.empty() && attempt < kAttempts) continue;
    info.schema_version = facts->schema_version;
    info.blobs = facts->blobs.size();
    info.blob_bytes = facts->blob_bytes;
    info.damaged = std::move(copied->damaged);
    info.damaged.insert(info.damaged.end(), copied->missing.begin(), copied->missing.end());
    break;
  }
  auto digest = file_sha256(database);
  if (!digest) return digest.error();
  info.database_sha256 = *digest;
  std::error_code error;
  info.database_bytes = std::filesystem::file_size(database, error);
  COFFER_TRY_STATUS(repository.commit_snapshot(info));
  return info;
}

}  // namespace coffer::server::backup
