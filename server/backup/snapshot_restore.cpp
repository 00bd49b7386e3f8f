#include "server/backup/snapshot_restore.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <vector>

#include "server/backup/blob_copy.hpp"
#include "server/backup/snapshot_create.hpp"
#include "server/storage/local/posix_file.hpp"
#include "server/storage/sqlite/connection.hpp"
#include "server/storage/sqlite/sqlite_store.hpp"

namespace coffer::server::backup {
namespace {

using storage::sqlite::Connection;
using storage::sqlite::OpenMode;

Result<std::vector<BlobRef>> listed_blobs(const std::filesystem::path& database) {
  auto connection = Connection::open(database, std::chrono::milliseconds(10000), OpenMode::read_only);
  if (!connection) return connection.error();
  std::vector<BlobRef> blobs;
  COFFER_QUERY(rows, **connection, "SELECT id, size FROM blobs ORDER BY id");
  while (rows.next()) blobs.push_back({rows.text(0), rows.uint64(1)});
  COFFER_TRY_STATUS(rows.status());
  return blobs;
}

Status make_empty_private_dir(const std::filesystem::path& dir) {
  std::error_code error;
  if (std::filesystem::exists(dir, error) && !std::filesystem::is_empty(dir, error)) {
    return make_error(Errc::already_exists, dir.string() + " is not empty: restore into a new folder");
  }
  std::filesystem::create_directories(dir, error);
  if (error) return make_error(Errc::io, "cannot create " + dir.string() + ": " + error.message());
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, error);
  return {};
}

Status copy_durably(const std::filesystem::path& from, const std::filesystem::path& to) {
  std::error_code error;
  std::filesystem::copy_file(from, to, error);
  if (error) return make_error(Errc::io, "cannot copy " + from.string() + " to " + to.string() + ": " + error.message());
  storage::FileDescriptor fd(::open(to.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return storage::io_error("cannot open", to);
  COFFER_TRY_STATUS(storage::sync_file(fd.get(), to));
  return storage::sync_directory(to.parent_path());
}

std::string first_ids(const std::vector<std::string>& ids) {
  std::string text;
  for (std::size_t i = 0; i < ids.size() && i < 3; ++i) text += (i ? ", " : "") + ids[i];
  return ids.size() > 3 ? text + ", ..." : text;
}

}  // namespace

Result<SnapshotInfo> restore_snapshot(BackupRepository& repository, const std::string& name,
                                      const std::filesystem::path& data_dir, const ProgressSink& progress) {
  auto info = repository.snapshot(name);
  if (!info) return info.error();
  const auto source = repository.database_of(info->name);
  auto digest = file_sha256(source);
  if (!digest) return digest.error();
  if (*digest != info->database_sha256) {
    return make_error(Errc::integrity, "snapshot " + info->name + ": coffer.db does not hash to what snapshot.json " +
                                           "recorded; restore another snapshot (backup list)");
  }
  COFFER_TRY_STATUS(make_empty_private_dir(data_dir));
  COFFER_TRY_STATUS(copy_durably(source, data_dir / "coffer.db"));
  auto blobs = listed_blobs(data_dir / "coffer.db");
  if (!blobs) return blobs.error();
  auto store = storage::LocalBlobStore::open(data_dir / "blobs");
  if (!store) return store.error();
  auto copied = copy_blobs(repository.blobs(), **store, *blobs, progress);
  if (!copied) return copied.error();
  auto lost = copied->missing;
  lost.insert(lost.end(), copied->damaged.begin(), copied->damaged.end());
  if (!lost.empty()) {
    return make_error(Errc::integrity, std::to_string(lost.size()) + " blobs of snapshot " + info->name +
                                           " are missing or damaged in the backup (" + first_ids(lost) + "); " +
                                           data_dir.string() + " is incomplete");
  }
  // Opening it as cofferd does upgrades an older schema and refuses one this binary cannot read.
  auto opened = storage::sqlite::SqliteMetadataStore::open(data_dir / "coffer.db", {});
  if (!opened) return make_error(opened.error().code, (data_dir / "coffer.db").string() + ": " + opened.error().message);
  return info;
}

}  // namespace coffer::server::backup
