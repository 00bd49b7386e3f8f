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

Result<int> schema_version(Connection& connection);

// Brings the database up to the last of `migrations`, each step in its own transaction. A
// database from a newer binary (a version beyond the last step), or one below the first step
// (a format this binary no longer reads), is refused with Errc::unsupported and a message
// saying so.
Status migrate(Connection& connection, std::span<const Migration> migrations);

}  // namespace coffer::server::storage::sqlite
