#pragma once

#include <span>

#include "server/storage/sqlite/connection.hpp"

namespace coffer::server::storage::sqlite {

// One step of the schema; `version` is what PRAGMA user_version says after it ran.
struct Migration {
  int version;
  const char* description;
  const char* sql;
};

// Every schema step this binary knows, oldest first (schema.cpp).
std::span<const Migration> schema_migrations();
// The oldest schema version whose data this binary reads; a non-empty database below it is
// refused (schema.cpp says which formats those versions held).
int schema_oldest_readable();

Result<int> schema_version(Connection& connection);

// Brings the database up to the last of `migrations`, each step in its own transaction. A
// database from a newer binary (a version beyond the last step), or one below
// `oldest_readable` (the first step's version when 0: a format this binary no longer reads), is
// refused with Errc::unsupported and a message saying so.
Status migrate(Connection& connection, std::span<const Migration> migrations, int oldest_readable = 0);

}  // namespace coffer::server::storage::sqlite
