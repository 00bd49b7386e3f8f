#include "server/storage/sqlite/connection.hpp"

#include <sqlite3.h>

#include <chrono>

#include "server/storage/sqlite/usage_sql.hpp"

namespace coffer::server::storage::sqlite {

Error sqlite_error(sqlite3* db, int code, std::string_view what) {
  const int primary = code & 0xFF;
  std::string message = std::string(what) + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code));
  // The schema's quota guard (usage_sql.hpp) refuses a statement that would charge a user
  // past their quota.
  if (code == SQLITE_CONSTRAINT_TRIGGER && db != nullptr && std::string_view(sqlite3_errmsg(db)) == kQuotaGuardMessage) {
    return make_error(Errc::quota_exceeded, "storing this would pass the quota");
  }
  if (primary == SQLITE_CONSTRAINT) return make_error(Errc::already_exists, std::move(message));
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return make_error(Errc::unavailable, std::move(message));
  return make_error(Errc::io, std::move(message));
}

Query::~Query() {
  if (statement_ == nullptr) return;
  sqlite3_reset(statement_);
  sqlite3_clear_bindings(statement_);
}

Query& Query::bind(int index, std::int64_t value) {
  sqlite3_bind_int64(statement_, index, value);
  return *this;
}

Query& Query::bind(int index, std::string_view value) {
  sqlite3_bind_text64(statement_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}

Query& Query::bind_null(int index) {
  sqlite3_bind_null(statement_, index);
  return *this;
}

bool Query::next() {
  last_code_ = sqlite3_step(statement_);
  return last_code_ == SQLITE_ROW;
}

Status Query::run() {
  while (next()) {
  }
  return status();
}

Status Query::status() const {
  if (last_code_ == SQLITE_DONE || last_code_ == SQLITE_ROW || last_code_ == SQLITE_OK) return {};
  return sqlite_error(db_, last_code_, "statement failed");
}

std::int64_t Query::int64(int column) const { return sqlite3_column_int64(statement_, column); }

std::string Query::text(int column) const {
  const auto* data = sqlite3_column_text(statement_, column);
  const int size = sqlite3_column_bytes(statement_, column);
  return data == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

bool Query::is_null(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }

std::optional<std::int64_t> Query::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

std::optional<std::string> Query::optional_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}

Result<std::unique_ptr<Connection>> Connection::open(const std::filesystem::path& file,
                                                     std::chrono::milliseconds busy_timeout, OpenMode mode) {
  sqlite3* db = nullptr;
  const int access = mode == OpenMode::read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  const int code = sqlite3_open_v2(file.c_str(), &db, access | SQLITE_OPEN_NOMUTEX, nullptr);
  if (code != SQLITE_OK) {
    Error error = sqlite_error(db, code, "cannot open " + file.string());
    sqlite3_close(db);
    return error;
  }
  std::unique_ptr<Connection> connection(new Connection(db));
  sqlite3_busy_timeout(db, static_cast<int>(busy_timeout.count()));
  sqlite3_extended_result_codes(db, 1);
  switch (mode) {
    case OpenMode::live:
      // WAL lets readers run beside the writer (cofferd's threads and coffer-admin); NORMAL
      // synchronous is durable in WAL mode except for the last commits on power loss, so FULL is
      // used: a committed version must survive a crash of the machine too. Temporary files in
      // memory: every statement that changes rows under the quota triggers keeps a statement
      // journal (to undo itself alone if a trigger refuses), and on a file in /var/tmp those were
      // 53,000 pwrite calls per batch of 5,000 files; they hold one statement's pages at most.
      COFFER_TRY_STATUS(connection->exec(
          "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"));
      break;
    case OpenMode::single_file:
      COFFER_TRY_STATUS(connection->exec("PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"));
      break;
    case OpenMode::read_only:
      COFFER_TRY_STATUS(connection->exec("PRAGMA query_only=ON; PRAGMA foreign_keys=ON;"));
      break;
  }
  return connection;
}

Connection::~Connection() {
  for (auto& [sql, statement] : statements_) sqlite3_finalize(statement);
  sqlite3_close(db_);
}

Status Connection::exec(std::string_view sql) {
  char* message = nullptr;
  const int code = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);
  if (code != SQLITE_OK) return sqlite_error(db_, code, "executing SQL");
  return {};
}

Result<Query> Connection::query(const char* sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    sqlite3_stmt* statement = nullptr;
    const int code = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (code != SQLITE_OK) return sqlite_error(db_, code, "preparing a statement");
    it = statements_.emplace(sql, statement).first;
  }
  return Query(db_, it->second);
}

std::int64_t Connection::changes() const { return sqlite3_changes64(db_); }
std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

}  // namespace coffer::server::storage::sqlite
