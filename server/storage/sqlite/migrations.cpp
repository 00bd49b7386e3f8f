#include "server/storage/sqlite/migrations.hpp"

#include <string>

namespace coffer::server::storage::sqlite {

Result<int> schema_version(Connection& connection) {
  auto query = connection.query("PRAGMA user_version");
  if (!query) return query.error();
  if (!query->next()) return make_error(Errc::io, "cannot read the schema version");
  return static_cast<int>(query->int64(0));
}

Status migrate(Connection& connection, std::span<const Migration> migrations, int oldest_readable) {
  auto current = schema_version(connection);
  if (!current) return current.error();
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  if (*current > latest) {
    return make_error(Errc::unsupported, "the database has schema version " + std::to_string(*current) +
                                             ", written by a newer cofferd; this one understands up to version " +
                                             std::to_string(latest) + ". Run the newer cofferd, or restore a backup.");
  }
  const int first = oldest_readable > 0 ? oldest_readable : migrations.empty() ? 0 : migrations.front().version;
  if (*current > 0 && *current < first) {
    return make_error(Errc::unsupported,
                      "the database has schema version " + std::to_string(*current) +
                          ", whose stored formats this cofferd no longer reads (it needs version " +
                          std::to_string(first) + " or later, or an empty data directory). Those formats were "
                          "never released: start a new data directory and upload the files again.");
  }
  for (const auto& step : migrations) {
    if (step.version <= *current) continue;
    COFFER_TRY_STATUS(connection.exec("BEGIN IMMEDIATE"));
    auto applied = connection.exec(step.sql);
    if (applied) applied = connection.exec("PRAGMA user_version = " + std::to_string(step.version));
    if (applied) applied = connection.exec("COMMIT");
    if (!applied) {
      (void)connection.exec("ROLLBACK");
      return make_error(applied.error().code, "schema migration to version " + std::to_string(step.version) + " (" +
                                                  step.description + ") failed: " + applied.error().message);
    }
  }
  return {};
}

}  // namespace coffer::server::storage::sqlite
