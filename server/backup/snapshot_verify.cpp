#include "server/backup/snapshot_verify.hpp"

#include <map>

#include "server/backup/blob_copy.hpp"
#include "server/backup/snapshot_create.hpp"
#include "server/storage/local/sha256_stream.hpp"
#include "server/storage/sqlite/connection.hpp"

namespace coffer::server::backup {
namespace {

using storage::sqlite::Connection;
using storage::sqlite::OpenMode;

// The database's own checks; fills `blobs` with what it lists (id -> size).
Status check_database(const std::filesystem::path& file, const std::string& snapshot,
                      std::map<std::string, std::uint64_t>& blobs, std::vector<std::string>& problems) {
  auto connection = Connection::open(file, std::chrono::milliseconds(10000), OpenMode::read_only);
  if (!connection) {
    problems.push_back("snapshot " + snapshot + ": the database does not open: " + connection.error().message);
    return {};
  }
  auto& db = **connection;
  {
    COFFER_QUERY(integrity, db, "PRAGMA integrity_check");
    while (integrity.next()) {
      if (integrity.text(0) != "ok") problems.push_back("snapshot " + snapshot + ": integrity_check: " + integrity.text(0));
    }
    if (!integrity.status()) {
      problems.push_back("snapshot " + snapshot + ": integrity_check failed: " + integrity.status().error().message);
      return {};
    }
  }
  {
    COFFER_QUERY(references, db, "PRAGMA foreign_key_check");
    while (references.next()) {
      problems.push_back("snapshot " + snapshot + ": a row of " + references.text(0) + " refers to a missing row of " +
                         references.text(2));
    }
  }
  COFFER_QUERY(rows, db, "SELECT id, size FROM blobs");
  while (rows.next()) blobs.emplace(rows.text(0), rows.uint64(1));
  if (!rows.status()) problems.push_back("snapshot " + snapshot + ": cannot list blobs: " + rows.status().error().message);
  return {};
}

void check_blob(BackupRepository& repository, const std::string& id, std::uint64_t size,
                std::vector<std::string>& problems) {
  auto bytes = read_blob(repository.blobs(), id);
  if (!bytes) {
    problems.push_back("blob " + id + ": " +
                       (bytes.error().code == Errc::not_found ? std::string("missing") : bytes.error().message));
    return;
  }
  if (bytes->size() != size) {
    problems.push_back("blob " + id + ": " + std::to_string(bytes->size()) + " bytes, the database says " +
                       std::to_string(size));
  }
  if (storage::Sha256Stream::hex_of(*bytes) != id) problems.push_back("blob " + id + ": its bytes do not hash to its id");
}

}  // namespace

Result<VerifyReport> verify_snapshots(BackupRepository& repository, const std::string& name,
                                      const ProgressSink& progress) {
  std::vector<SnapshotInfo> chosen;
  if (name.empty()) {
    auto all = repository.snapshots();
    if (!all) return all.error();
    if (all->empty()) return make_error(Errc::not_found, repository.path().string() + " holds no snapshot yet");
    chosen = std::move(*all);
  } else {
    auto one = repository.snapshot(name);
    if (!one) return one.error();
    chosen.push_back(std::move(*one));
  }
  VerifyReport report;
  std::map<std::string, std::uint64_t> blobs;
  for (const auto& info : chosen) {
    report.snapshots.push_back(info.name);
    const auto database = repository.database_of(info.name);
    auto digest = file_sha256(database);
    if (!digest) {
      report.problems.push_back("snapshot " + info.name + ": " + digest.error().message);
      continue;
    }
    if (*digest != info.database_sha256) {
      report.problems.push_back("snapshot " + info.name + ": coffer.db does not hash to what snapshot.json recorded");
      continue;
    }
    COFFER_TRY_STATUS(check_database(database, info.name, blobs, report.problems));
    for (const auto& id : info.damaged) {
      report.problems.push_back("snapshot " + info.name + ": blob " + id + " was damaged or missing in the data directory " +
                                "when the snapshot was taken and is not in it");
    }
  }
  Progress shown{"verifying blobs", 0, blobs.size(), 0, 0};
  for (const auto& [id, size] : blobs) shown.total_bytes += size;
  for (const auto& [id, size] : blobs) {
    check_blob(repository, id, size, report.problems);
    ++shown.done_items;
    shown.done_bytes += size;
    if (progress && (shown.done_items % 256 == 0 || shown.done_items == shown.total_items)) progress(shown);
  }
  report.blobs = shown.total_items;
  report.bytes = shown.total_bytes;
  return report;
}

}  // namespace coffer::server::backup
