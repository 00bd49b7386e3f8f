#include "server/gc/garbage_collector.hpp"

#include <string>
#include <vector>

#include "server/storage/sqlite/connection.hpp"

namespace coffer::server::gc {
namespace {

using storage::sqlite::Connection;

constexpr std::int64_t kBatch = 1000;

// Runs `body` in a write transaction: committed when it succeeds, rolled back otherwise.
template <class Body>
Status in_write(Connection& db, Body&& body) {
  COFFER_TRY_STATUS(db.exec("BEGIN IMMEDIATE"));
  Status done = body();
  if (!done) {
    (void)db.exec("ROLLBACK");
    return done;
  }
  return db.exec("COMMIT");
}

// A holding is needed while a version of one of the holder's own nodes lists the blob: a commit
// makes the node's owner hold every chunk it lists, so an upload a grantee committed into a
// shared folder is the owner's once committed, and the grantee's holding goes here.
Status release_holdings(Connection& db, std::chrono::seconds grace, GcReport& report) {
  // The usage_blob_release trigger gives each holder their bytes back.
  return in_write(db, [&]() -> Status {
    COFFER_QUERY(release, db,
                 "DELETE FROM user_blobs WHERE held_at <= unixepoch() - ?1 "
                 "AND NOT EXISTS (SELECT 1 FROM version_chunks c JOIN nodes n ON n.id = c.node_id "
                 "WHERE c.blob_id = user_blobs.blob_id AND n.owner_id = user_blobs.user_id)");
    COFFER_TRY_STATUS(release.bind(1, static_cast<std::int64_t>(grace.count())).run());
    report.released_holdings += static_cast<std::uint64_t>(db.changes());
    return {};
  });
}

// One batch of unneeded blob rows and their files; false when there were none left.
Result<bool> remove_unneeded_batch(Connection& db, storage::LocalBlobStore& blobs, GcReport& report) {
  bool more = false;
  COFFER_TRY_STATUS(in_write(db, [&]() -> Status {
    COFFER_QUERY(victims, db,
                 "DELETE FROM blobs WHERE id IN (SELECT id FROM blobs b WHERE "
                 "NOT EXISTS (SELECT 1 FROM user_blobs u WHERE u.blob_id = b.id) AND "
                 "NOT EXISTS (SELECT 1 FROM version_chunks c WHERE c.blob_id = b.id) LIMIT ?1) RETURNING id, size");
    victims.bind(1, kBatch);
    std::vector<std::string> ids;
    while (victims.next()) {
      ids.push_back(victims.text(0));
      report.removed_bytes += victims.uint64(1);
    }
    COFFER_TRY_STATUS(victims.status());
    more = static_cast<std::int64_t>(ids.size()) == kBatch;
    report.removed_blobs += ids.size();
    return blobs.remove_many(ids);
  }));
  return more;
}

// Files no row names, each checked under the write lock.
Status remove_stray_files(Connection& db, storage::LocalBlobStore& blobs, GcReport& report) {
  std::vector<std::string> candidates;
  std::error_code error;
  for (const auto& shard : std::filesystem::directory_iterator(blobs.root(), error)) {
    if (!shard.is_directory() || shard.path().filename() == "tmp") continue;
    for (const auto& file : std::filesystem::directory_iterator(shard.path(), error)) {
      auto id = file.path().filename().string();
      if (id.size() == 64) candidates.push_back(std::move(id));
    }
  }
  if (error) return make_error(Errc::io, "cannot list " + blobs.root().string() + ": " + error.message());
  for (std::size_t start = 0; start < candidates.size(); start += kBatch) {
    COFFER_TRY_STATUS(in_write(db, [&]() -> Status {
      std::vector<std::string> stray;
      for (std::size_t i = start; i < candidates.size() && i < start + kBatch; ++i) {
        COFFER_QUERY(row, db, "SELECT 1 FROM blobs WHERE id = ?1");
        row.bind(1, candidates[i]);
        const bool named = row.next();
        COFFER_TRY_STATUS(row.status());
        if (!named) stray.push_back(candidates[i]);
      }
      report.removed_files += stray.size();
      return blobs.remove_many(stray);
    }));
  }
  return {};
}

}  // namespace

Result<GcReport> collect_garbage(const std::filesystem::path& database, storage::LocalBlobStore& blobs,
                                 std::chrono::seconds grace) {
  auto connection = Connection::open(database, std::chrono::milliseconds(10000));
  if (!connection) return connection.error();
  auto& db = **connection;
  GcReport report;
  COFFER_TRY_STATUS(release_holdings(db, grace, report));
  for (;;) {
    auto more = remove_unneeded_batch(db, blobs, report);
    if (!more) return more.error();
    if (!*more) break;
  }
  COFFER_TRY_STATUS(remove_stray_files(db, blobs, report));
  return report;
}

}  // namespace coffer::server::gc
