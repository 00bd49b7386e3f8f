#include "server/fsck/data_check.hpp"

#include <map>
#include <set>

#include "config/units.hpp"
#include "server/backup/blob_copy.hpp"
#include "server/storage/local/sha256_stream.hpp"
#include "server/storage/sqlite/connection.hpp"
#include "server/storage/sqlite/usage_sql.hpp"

namespace coffer::server::fsck {
namespace {

using storage::sqlite::Connection;
using storage::sqlite::Query;

// A check is a query whose rows are problems, and how to say one.
struct RowCheck {
  const char* sql;
  std::string (*describe)(const Query& row);
};

const RowCheck kRowChecks[] = {
    {"SELECT name FROM users u WHERE NOT EXISTS (SELECT 1 FROM nodes n WHERE n.id = u.root_node_id "
     "AND n.owner_id = u.id AND n.type = 1)",
     [](const Query& r) { return "user " + r.text(0) + ": the root folder is missing, not a folder, or not theirs"; }},
    {"SELECT e.parent_id, e.node_id FROM entries e JOIN nodes p ON p.id = e.parent_id WHERE p.type != 1",
     [](const Query& r) { return "entry of node " + r.text(1) + " in " + r.text(0) + ", which is not a folder"; }},
    {"SELECT e.parent_id, e.node_id FROM entries e JOIN nodes p ON p.id = e.parent_id JOIN nodes c ON c.id = e.node_id "
     "WHERE p.owner_id != c.owner_id",
     [](const Query& r) { return "entry of node " + r.text(1) + " in " + r.text(0) + " joins two owners' trees"; }},
    {"SELECT n.id FROM nodes n WHERE n.trashed_at IS NULL AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.node_id = n.id) "
     "AND NOT EXISTS (SELECT 1 FROM users u WHERE u.root_node_id = n.id)",
     [](const Query& r) { return "node " + r.text(0) + ": no entry names it and it is not in the trash (unreachable)"; }},
    {"SELECT n.id FROM nodes n WHERE n.trashed_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM trash t WHERE t.node_id = n.id)",
     [](const Query& r) { return "node " + r.text(0) + ": marked trashed without a trash row (cannot be restored)"; }},
    {"SELECT n.id FROM nodes n WHERE n.trashed_at IS NOT NULL AND EXISTS (SELECT 1 FROM entries e WHERE e.node_id = n.id)",
     [](const Query& r) { return "node " + r.text(0) + ": marked trashed but still has an entry"; }},
    {"SELECT n.id, n.version FROM nodes n WHERE n.version > 0 AND NOT EXISTS (SELECT 1 FROM versions v "
     "WHERE v.node_id = n.id AND v.version = n.version)",
     [](const Query& r) { return "node " + r.text(0) + ": its current version " + r.text(1) + " has no row"; }},
    {"SELECT n.id, n.size, v.size FROM nodes n JOIN versions v ON v.node_id = n.id AND v.version = n.version "
     "WHERE n.size != v.size",
     [](const Query& r) {
       return "node " + r.text(0) + ": size " + r.text(1) + ", its current version says " + r.text(2);
     }},
    {"SELECT e.parent_id, e.node_id FROM entries e WHERE NOT EXISTS (SELECT 1 FROM entry_history h "
     "WHERE h.parent_id = e.parent_id AND h.name_tag = e.name_tag AND h.node_id = e.node_id AND h.removed_at IS NULL)",
     [](const Query& r) { return "entry of node " + r.text(1) + " in " + r.text(0) + ": missing from the entry history"; }},
    {"SELECT h.parent_id, h.node_id FROM entry_history h WHERE h.removed_at IS NULL AND NOT EXISTS (SELECT 1 FROM "
     "entries e WHERE e.parent_id = h.parent_id AND e.name_tag = h.name_tag)",
     [](const Query& r) { return "entry history of node " + r.text(1) + " in " + r.text(0) + ": open, but no such entry"; }},
    {"SELECT v.node_id, v.version, v.chunk_count, (SELECT count(*) FROM version_chunks c WHERE c.node_id = v.node_id "
     "AND c.version = v.version) AS listed FROM versions v WHERE listed != v.chunk_count",
     [](const Query& r) {
       return "version " + r.text(1) + " of node " + r.text(0) + ": " + r.text(2) + " chunks counted, " + r.text(3) +
              " listed";
     }},
    // Grants (schema step 11): what POST /v1/shares refuses to create.
    {"SELECT g.node_id, u.name FROM grants g JOIN nodes n ON n.id = g.node_id JOIN users u ON u.id = g.grantee_id "
     "WHERE n.type NOT IN (0, 1) OR EXISTS (SELECT 1 FROM users r WHERE r.root_node_id = g.node_id)",
     [](const Query& r) {
       return "grant of node " + r.text(0) + " to " + r.text(1) + ": only files and folders other than a root can be shared";
     }},
    {"SELECT g.node_id, u.name FROM grants g JOIN nodes n ON n.id = g.node_id JOIN users u ON u.id = g.grantee_id "
     "WHERE g.grantee_id = n.owner_id",
     [](const Query& r) { return "grant of node " + r.text(0) + " to its own owner " + r.text(1); }},
};

Status sqlite_checks(Connection& db, CheckReport& report) {
  {
    COFFER_QUERY(integrity, db, "PRAGMA integrity_check");
    while (integrity.next()) {
      if (integrity.text(0) != "ok") report.problems.push_back("database: " + integrity.text(0));
    }
    COFFER_TRY_STATUS(integrity.status());
  }
  COFFER_QUERY(references, db, "PRAGMA foreign_key_check");
  while (references.next()) {
    report.problems.push_back("database: a row of " + references.text(0) + " refers to a missing row of " +
                              references.text(2));
  }
  return references.status();
}

Status row_checks(Connection& db, CheckReport& report) {
  for (const auto& check : kRowChecks) {
    auto query = db.query(check.sql);
    if (!query) return query.error();
    while (query->next()) report.problems.push_back(check.describe(*query));
    COFFER_TRY_STATUS(query->status());
  }
  return {};
}

Status usage_checks(Connection& db, bool repair, CheckReport& report) {
  // Read and, with `repair`, fixed in one write transaction: cofferd's charges cannot slip
  // between the count and the fix.
  COFFER_QUERY(users, db, "SELECT id, name, used, quota, " COFFER_COUNTED_USAGE("users.id") " FROM users");
  std::vector<std::tuple<std::int64_t, std::string, std::int64_t, std::int64_t>> wrong;
  std::map<std::int64_t, std::optional<std::int64_t>> quotas;
  while (users.next()) {
    if (users.int64(2) != users.int64(4)) {
      wrong.emplace_back(users.int64(0), users.text(1), users.int64(2), users.int64(4));
      quotas[users.int64(0)] = users.optional_int64(3);
    }
  }
  COFFER_TRY_STATUS(users.status());
  for (const auto& [id, name, used, counted] : wrong) {
    const auto line = "user " + name + ": usage " + std::to_string(used) + " bytes, the rows count " +
                      std::to_string(counted);
    const auto quota = quotas[id];
    if (!repair || (counted > used && quota && counted > *quota)) {
      report.problems.push_back(line + (repair ? " (not repaired: that is above the quota)" : ""));
      continue;
    }
    COFFER_QUERY(fix, db, "UPDATE users SET used = ?2 WHERE id = ?1");
    COFFER_TRY_STATUS(fix.bind(1, id).bind(2, counted).run());
    report.repaired.push_back(line + ": set to " + std::to_string(counted));
  }
  return {};
}

// A blob row whose file is gone holds nothing; deleted only if still unreferenced in the
// repair's transaction (an upload may have referred to it meanwhile).
Status repair_lost_blobs(Connection& db, storage::LocalBlobStore& blobs, const std::vector<std::string>& lost,
                         CheckReport& report) {
  for (const auto& id : lost) {
    auto present = blobs.contains(id);
    if (!present) return present.error();
    COFFER_QUERY(drop, db,
                 "DELETE FROM blobs WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM user_blobs WHERE blob_id = ?1) "
                 "AND NOT EXISTS (SELECT 1 FROM version_chunks WHERE blob_id = ?1)");
    if (*present) continue;
    COFFER_TRY_STATUS(drop.bind(1, id).run());
    if (db.changes() > 0) report.repaired.push_back("blob " + id + ": its file is gone and nothing refers to it: row deleted");
  }
  return {};
}

struct BlobRow {
  std::uint64_t size = 0;
  bool referenced = false;
};

Result<std::map<std::string, BlobRow>> blob_rows(Connection& db) {
  std::map<std::string, BlobRow> rows;
  COFFER_QUERY(query, db,
               "SELECT b.id, b.size, EXISTS (SELECT 1 FROM user_blobs u WHERE u.blob_id = b.id) OR "
               "EXISTS (SELECT 1 FROM version_chunks c WHERE c.blob_id = b.id) FROM blobs b");
  while (query.next()) rows.emplace(query.text(0), BlobRow{query.uint64(1), query.boolean(2)});
  COFFER_TRY_STATUS(query.status());
  return rows;
}

// Fills `lost_unreferenced` with blob rows whose file is gone and that nothing refers to.
Status blob_checks(Connection& db, storage::LocalBlobStore& blobs, CheckReport& report,
                   std::vector<std::string>& lost_unreferenced, const backup::ProgressSink& progress) {
  auto rows = blob_rows(db);
  if (!rows) return rows.error();
  backup::Progress shown{"checking blobs", 0, rows->size(), 0, 0};
  for (const auto& [id, row] : *rows) shown.total_bytes += row.size;
  std::uint64_t unreferenced = 0;
  std::uint64_t unreferenced_bytes = 0;
  for (const auto& [id, row] : *rows) {
    ++shown.done_items;
    shown.done_bytes += row.size;
    if (progress && (shown.done_items % 256 == 0 || shown.done_items == shown.total_items)) progress(shown);
    auto bytes = backup::read_blob(blobs, id);
    if (!bytes && bytes.error().code == Errc::not_found && !row.referenced) {
      lost_unreferenced.push_back(id);
      continue;
    }
    if (!row.referenced) {
      ++unreferenced;
      unreferenced_bytes += row.size;
    }
    if (!bytes) {
      report.problems.push_back("blob " + id + ": " +
                                (bytes.error().code == Errc::not_found ? std::string("its file is missing")
                                                                       : bytes.error().message));
    } else if (bytes->size() != row.size) {
      report.problems.push_back("blob " + id + ": " + std::to_string(bytes->size()) + " bytes, its row says " +
                                std::to_string(row.size));
    } else if (storage::Sha256Stream::hex_of(*bytes) != id) {
      report.problems.push_back("blob " + id + ": its bytes do not hash to its id");
    }
  }
  report.blobs = shown.total_items;
  report.bytes = shown.total_bytes;
  if (unreferenced > 0) {
    report.notes.push_back(std::to_string(unreferenced) + " blobs (" + config::format_size_approx(unreferenced_bytes) +
                           ") nothing refers to: coffer-admin gc reclaims them");
  }
  // Files no row names: a crash after publishing, or an upload whose transaction is still open.
  std::uint64_t stray = 0;
  std::error_code error;
  for (const auto& shard : std::filesystem::directory_iterator(blobs.root(), error)) {
    if (!shard.is_directory() || shard.path().filename() == "tmp") continue;
    for (const auto& file : std::filesystem::directory_iterator(shard.path(), error)) {
      if (!rows->contains(file.path().filename().string())) ++stray;
    }
  }
  if (stray > 0) report.notes.push_back(std::to_string(stray) + " blob files no row names: coffer-admin gc reclaims them");
  return {};
}

}  // namespace

Result<CheckReport> check_data_dir(const std::filesystem::path& database, storage::LocalBlobStore& blobs, bool repair,
                                   const backup::ProgressSink& progress) {
  auto connection = Connection::open(database, std::chrono::milliseconds(10000));
  if (!connection) return connection.error();
  auto& db = **connection;
  CheckReport report;
  COFFER_TRY_STATUS(sqlite_checks(db, report));
  COFFER_TRY_STATUS(row_checks(db, report));
  std::vector<std::string> lost_unreferenced;
  COFFER_TRY_STATUS(blob_checks(db, blobs, report, lost_unreferenced, progress));
  // The repairs in one short write transaction (never across the blob reads above, which would
  // hold cofferd's writers back for as long as hashing every blob takes).
  COFFER_TRY_STATUS(db.exec(repair ? "BEGIN IMMEDIATE" : "BEGIN"));
  auto checked = [&]() -> Status {
    COFFER_TRY_STATUS(usage_checks(db, repair, report));
    if (!repair) {
      for (const auto& id : lost_unreferenced) {
        report.problems.push_back("blob " + id + ": its file is missing (nothing refers to it; --repair deletes the row)");
      }
      return {};
    }
    return repair_lost_blobs(db, blobs, lost_unreferenced, report);
  }();
  if (!checked) {
    (void)db.exec("ROLLBACK");
    return checked.error();
  }
  COFFER_TRY_STATUS(db.exec("COMMIT"));
  return report;
}

}  // namespace coffer::server::fsck
