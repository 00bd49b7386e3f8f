#include "cache/local_database.hpp"

#include <sqlite3.h>

namespace coffer::cache {
namespace {

int user_version(sqlite3* db) {
  sqlite3_stmt* query = nullptr;
  int version = -1;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &query, nullptr) == SQLITE_OK && sqlite3_step(query) == SQLITE_ROW) {
    version = sqlite3_column_int(query, 0);
  }
  sqlite3_finalize(query);
  return version;
}

}  // namespace

bool exec_sql(sqlite3* db, const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }

bool prepare_local_database(sqlite3* db, int format, const std::string& replace_schema) {
  if (!exec_sql(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")) return false;
  if (user_version(db) == format) return true;
  const std::string sql = "BEGIN; " + replace_schema + " PRAGMA user_version = " + std::to_string(format) + "; COMMIT;";
  return exec_sql(db, sql.c_str());
}

}  // namespace coffer::cache
