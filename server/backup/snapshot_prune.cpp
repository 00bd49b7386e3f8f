#include "server/backup/snapshot_prune.hpp"

#include <set>
#include <string>
#include <vector>

#include "server/storage/sqlite/connection.hpp"

namespace coffer::server::backup {
namespace {

using storage::sqlite::Connection;
using storage::sqlite::OpenMode;

Result<std::set<std::string>> blobs_of(const std::filesystem::path& database) {
  auto connection = Connection::open(database, std::chrono::milliseconds(10000), OpenMode::read_only);
  if (!connection) return connection.error();
  std::set<std::string> ids;
  COFFER_QUERY(rows, **connection, "SELECT id FROM blobs");
  while (rows.next()) ids.insert(rows.text(0));
  COFFER_TRY_STATUS(rows.status());
  return ids;
}

}  // namespace

Result<std::uint64_t> prune_snapshots(BackupRepository& repository, std::size_t keep) {
  auto all = repository.snapshots();
  if (!all) return all.error();
  const std::size_t remove = all->size() > keep ? all->size() - keep : 0;
  for (std::size_t i = 0; i < remove; ++i) COFFER_TRY_STATUS(repository.remove_snapshot((*all)[i].name));
  if (remove == 0) return std::uint64_t{0};
  std::set<std::string> kept;
  for (std::size_t i = remove; i < all->size(); ++i) {
    auto blobs = blobs_of(repository.database_of((*all)[i].name));
    if (!blobs) return blobs.error();
    kept.merge(*blobs);
  }
  std::vector<std::string> unused;
  std::error_code error;
  const auto root = repository.blobs().root();
  for (const auto& shard : std::filesystem::directory_iterator(root, error)) {
    if (!shard.is_directory() || shard.path().filename() == "tmp") continue;
    for (const auto& file : std::filesystem::directory_iterator(shard.path(), error)) {
      auto id = file.path().filename().string();
      if (id.size() == 64 && !kept.contains(id)) unused.push_back(std::move(id));
    }
  }
  if (error) return make_error(Errc::io, "cannot list " + root.string() + ": " + error.message());
  COFFER_TRY_STATUS(repository.blobs().remove_many(unused));
  return static_cast<std::uint64_t>(unused.size());
}

}  // namespace coffer::server::backup
