#pragma once

#include <string>

struct sqlite3;

namespace coffer::cache {

// The profile's small SQLite files (state.db, metadata.db): what their stores share.

// Runs statements without parameters; false on failure (sqlite3_errmsg says why).
bool exec_sql(sqlite3* db, const char* sql);

// Sets WAL mode with NORMAL synchronous (a profile's state may lose its last commits to a power
// cut, never its consistency) and, unless `PRAGMA user_version` already says `format`, runs
// `replace_schema` (DROP and CREATE statements) and sets user_version to `format`, in one
// transaction. The files hold what can be learned again, so another format is replaced, not
// migrated.
bool prepare_local_database(sqlite3* db, int format, const std::string& replace_schema);

}  // namespace coffer::cache
