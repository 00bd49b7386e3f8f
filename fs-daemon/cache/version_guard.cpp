#include "cache/version_guard.hpp"

#include <sqlite3.h>

#include <string>

#include "cache/local_database.hpp"

namespace coffer::cache {
namespace {

// state.db's layout; user_version says which. Version 2 adds folder revisions. A profile's
// older state.db (written by a client that read format-1 records) is replaced: its values
// described a format no server of this version holds.
constexpr int kStateFormat = 2;

bool create_schema(sqlite3* db) {
  return prepare_local_database(db, kStateFormat,
                                "DROP TABLE IF EXISTS seen;"
                                "CREATE TABLE seen(node_id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
                                " revision INTEGER NOT NULL, folder_revision INTEGER NOT NULL) WITHOUT ROWID;");
}

}  // namespace

Result<std::unique_ptr<VersionGuard>> VersionGuard::open(const std::filesystem::path& db_path) {
  std::unique_ptr<VersionGuard> guard(new VersionGuard());
  if (sqlite3_open_v2(db_path.c_str(), &guard->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    return make_error(Errc::io, db_path.string() + ": " + sqlite3_errmsg(guard->db_));
  }
  if (!create_schema(guard->db_) ||
      sqlite3_prepare_v2(guard->db_, "SELECT version, revision, folder_revision FROM seen WHERE node_id = ?", -1,
                         &guard->select_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(guard->db_,
                         "INSERT INTO seen(node_id, version, revision, folder_revision) VALUES(?, ?, ?, ?) "
                         "ON CONFLICT(node_id) DO UPDATE SET version = excluded.version, revision = excluded.revision, "
                         "folder_revision = excluded.folder_revision",
                         -1, &guard->upsert_, nullptr) != SQLITE_OK) {
    return make_error(Errc::io, db_path.string() + ": " + sqlite3_errmsg(guard->db_));
  }
  return guard;
}

VersionGuard::~VersionGuard() {
  sqlite3_finalize(select_);
  sqlite3_finalize(upsert_);
  sqlite3_close(db_);
}

VersionGuard::Seen VersionGuard::load_locked(const std::string& node_id) {
  if (auto it = memo_.find(node_id); it != memo_.end()) return it->second;
  Seen seen;
  sqlite3_bind_text(select_, 1, node_id.data(), static_cast<int>(node_id.size()), SQLITE_TRANSIENT);
  if (sqlite3_step(select_) == SQLITE_ROW) {
    seen.version = static_cast<std::uint64_t>(sqlite3_column_int64(select_, 0));
    seen.revision = static_cast<std::uint64_t>(sqlite3_column_int64(select_, 1));
    seen.folder_revision = static_cast<std::uint64_t>(sqlite3_column_int64(select_, 2));
  }
  sqlite3_reset(select_);
  memo_[node_id] = seen;
  return seen;
}

void VersionGuard::store_locked(const std::string& node_id, const Seen& seen) {
  memo_[node_id] = seen;
  sqlite3_bind_text(upsert_, 1, node_id.data(), static_cast<int>(node_id.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(upsert_, 2, static_cast<sqlite3_int64>(seen.version));
  sqlite3_bind_int64(upsert_, 3, static_cast<sqlite3_int64>(seen.revision));
  sqlite3_bind_int64(upsert_, 4, static_cast<sqlite3_int64>(seen.folder_revision));
  sqlite3_step(upsert_);
  sqlite3_reset(upsert_);
}

// The one rule of the guard for each kind of number: lower than seen is a rollback, higher is
// remembered. `what` names the number in the message ("version 3").
Status VersionGuard::check_locked(const std::string& node_id, std::uint64_t offered, std::uint64_t Seen::*field,
                                  const char* what) {
  Seen seen = load_locked(node_id);
  if (offered < seen.*field) {
    return make_error(Errc::integrity, "node " + node_id + ": the server offers " + what + " " +
                                           std::to_string(offered) + " as current, but " + what + " " +
                                           std::to_string(seen.*field) + " was seen before (rollback)");
  }
  if (offered > seen.*field) {
    seen.*field = offered;
    store_locked(node_id, seen);
  }
  return {};
}

Status VersionGuard::check_version(const std::string& node_id, std::uint64_t version) {
  std::lock_guard lock(mutex_);
  return check_locked(node_id, version, &Seen::version, "version");
}

Status VersionGuard::check_revision(const std::string& node_id, std::uint64_t revision) {
  std::lock_guard lock(mutex_);
  return check_locked(node_id, revision, &Seen::revision, "attribute revision");
}

Status VersionGuard::check_folder_revision(const std::string& node_id, std::uint64_t revision) {
  std::lock_guard lock(mutex_);
  return check_locked(node_id, revision, &Seen::folder_revision, "folder revision");
}

void VersionGuard::saw_folder_revisions(const std::vector<std::pair<std::string, std::uint64_t>>& revisions) {
  std::lock_guard lock(mutex_);
  const bool in_transaction = exec_sql(db_, "BEGIN");
  for (const auto& [node_id, revision] : revisions) (void)check_locked(node_id, revision, &Seen::folder_revision, "");
  if (in_transaction) exec_sql(db_, "COMMIT");
}

std::uint64_t VersionGuard::seen_version(const std::string& node_id) {
  std::lock_guard lock(mutex_);
  return load_locked(node_id).version;
}

std::uint64_t VersionGuard::seen_folder_revision(const std::string& node_id) {
  std::lock_guard lock(mutex_);
  return load_locked(node_id).folder_revision;
}

}  // namespace coffer::cache
