#include "cache/version_guard.hpp"

#include <sqlite3.h>

namespace coffer::cache {

Result<std::unique_ptr<VersionGuard>> VersionGuard::open(const std::filesystem::path& db_path) {
  std::unique_ptr<VersionGuard> guard(new VersionGuard());
  if (sqlite3_open_v2(db_path.c_str(), &guard->db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    return make_error(Errc::io, db_path.string() + ": " + sqlite3_errmsg(guard->db_));
  }
  const char* schema =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
      "CREATE TABLE IF NOT EXISTS seen(node_id TEXT PRIMARY KEY, version INTEGER NOT NULL,"
      " revision INTEGER NOT NULL) WITHOUT ROWID;";
  if (sqlite3_exec(guard->db_, schema, nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(guard->db_, "SELECT version, revision FROM seen WHERE node_id = ?", -1, &guard->select_,
                         nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(guard->db_,
                         "INSERT INTO seen(node_id, version, revision) VALUES(?, ?, ?) ON CONFLICT(node_id) DO "
                         "UPDATE SET version = excluded.version, revision = excluded.revision",
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
  sqlite3_step(upsert_);
  sqlite3_reset(upsert_);
}

Status VersionGuard::check_version(const std::string& node_id, std::uint64_t version) {
  std::lock_guard lock(mutex_);
  Seen seen = load_locked(node_id);
  if (version < seen.version) {
    return make_error(Errc::integrity, "node " + node_id + ": the server offers version " + std::to_string(version) +
                                           " as current, but version " + std::to_string(seen.version) +
                                           " was seen before (rollback)");
  }
  if (version > seen.version) {
    seen.version = version;
    store_locked(node_id, seen);
  }
  return {};
}

Status VersionGuard::check_revision(const std::string& node_id, std::uint64_t revision) {
  std::lock_guard lock(mutex_);
  Seen seen = load_locked(node_id);
  if (revision < seen.revision) {
    return make_error(Errc::integrity, "node " + node_id + ": the server offers attribute revision " +
                                           std::to_string(revision) + ", but revision " +
                                           std::to_string(seen.revision) + " was seen before (rollback)");
  }
  if (revision > seen.revision) {
    seen.revision = revision;
    store_locked(node_id, seen);
  }
  return {};
}

std::uint64_t VersionGuard::seen_version(const std::string& node_id) {
  std::lock_guard lock(mutex_);
  return load_locked(node_id).version;
}

}  // namespace coffer::cache
