#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace coffer::server::storage::sqlite {

// One prepared statement in use: bind parameters (1-based), step through rows, read columns
// (0-based). Reset when the Query goes out of scope, so the cached statement can be reused.
class Query {
 public:
  Query(sqlite3* db, sqlite3_stmt* statement) : db_(db), statement_(statement) {}
  Query(Query&& other) noexcept : db_(other.db_), statement_(other.statement_), last_code_(other.last_code_) {
    other.statement_ = nullptr;
  }
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;
  Query& operator=(Query&&) = delete;
  ~Query();

  Query& bind(int index, std::int64_t value);
  Query& bind(int index, std::uint64_t value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
  Query& bind(int index, bool value) { return bind(index, static_cast<std::int64_t>(value ? 1 : 0)); }
  Query& bind(int index, std::string_view value);
  Query& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Query& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Query& bind_null(int index);
  template <class T>
  Query& bind(int index, const std::optional<T>& value) {
    return value ? bind(index, *value) : bind_null(index);
  }

  // True while a row is available; errors end the iteration and are reported by status().
  bool next();
  // Runs a statement that returns no rows.
  Status run();
  Status status() const;

  std::int64_t int64(int column) const;
  std::uint64_t uint64(int column) const { return static_cast<std::uint64_t>(int64(column)); }
  bool boolean(int column) const { return int64(column) != 0; }
  std::string text(int column) const;
  bool is_null(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;
  std::optional<std::string> optional_text(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* statement_;
  int last_code_ = 0;
};

// How a database file is used: the live store (WAL, durable commits), a copy that must stay one
// self-contained file (a backup snapshot: rollback journal), or a file only read (verifying a
// snapshot; nothing, not even a WAL file, is created beside it).
enum class OpenMode { live, single_file, read_only };

// One SQLite connection with a cache of prepared statements (keyed by their SQL text).
class Connection {
 public:
  static Result<std::unique_ptr<Connection>> open(const std::filesystem::path& file, std::chrono::milliseconds busy_timeout,
                                                  OpenMode mode = OpenMode::live);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements without parameters (schema, BEGIN/COMMIT).
  Status exec(std::string_view sql);
  // A cached prepared statement; the SQL must be a literal known at build time.
  Result<Query> query(const char* sql);
  std::int64_t changes() const;
  std::int64_t last_insert_rowid() const;
  sqlite3* handle() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<const char*, sqlite3_stmt*> statements_;
};

// Maps an SQLite result code to Coffer's errors: the quota guard -> quota_exceeded, other
// constraints -> already_exists, busy -> unavailable, others -> io. `what` says what was being done; SQLite's message is added.
Error sqlite_error(sqlite3* db, int code, std::string_view what);

}  // namespace coffer::server::storage::sqlite

// Prepares (or reuses) `sql` on `db` as the Query `var`, returning the error from the enclosing
// function when preparing fails.
#define COFFER_QUERY(var, db, sql)            \
  auto var##_prepared = (db).query(sql);      \
  if (!var##_prepared) return var##_prepared.error(); \
  auto& var = *var##_prepared
