#include "server/storage/sqlite/sqlite_store.hpp"

#include "server/storage/sqlite/migrations.hpp"
#include "server/storage/sqlite/tables.hpp"

namespace coffer::server::storage::sqlite {
namespace {

class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SqliteMetadataStore& store, std::unique_ptr<Connection> db, bool writer)
      : store_(store), db_(std::move(db)), writer_(writer), users_(*db_), sessions_(*db_), nodes_(*db_),
        content_(*db_), trash_(*db_), grants_(*db_), changes_(*db_), audit_(*db_), links_(*db_) {}

  ~SqliteTransaction() override {
    if (!finished_) (void)db_->exec("ROLLBACK");
    store_.release(std::move(db_), writer_);
  }

  UserTable& users() override { return users_; }
  SessionTable& sessions() override { return sessions_; }
  NodeTable& nodes() override { return nodes_; }
  ContentTable& content() override { return content_; }
  TrashTable& trash() override { return trash_; }
  GrantTable& grants() override { return grants_; }
  ChangeTable& changes() override { return changes_; }
  AuditTable& audit() override { return audit_; }
  LinkTable& links() override { return links_; }

  Result<StoreStats> stats(std::int64_t now) override {
    COFFER_QUERY(query, *db_,
                 "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM sessions WHERE revoked_at IS NULL "
                 "AND expires_at > ?1), (SELECT count(*) FROM nodes), (SELECT count(*) FROM versions), "
                 "(SELECT count(*) FROM blobs), (SELECT coalesce(sum(size), 0) FROM blobs), "
                 "(SELECT count(*) FROM links WHERE (expires_at IS NULL OR expires_at > ?1) "
                 "AND (max_downloads IS NULL OR downloads < max_downloads))");
    query.bind(1, now);
    if (!query.next()) return make_error(Errc::io, "reading statistics failed");
    return StoreStats{query.uint64(0), query.uint64(1), query.uint64(2), query.uint64(3),
                      query.uint64(4), query.uint64(5), query.uint64(6)};
  }

  Result<std::optional<std::string>> get_setting(const std::string& name) override {
    COFFER_QUERY(query, *db_, "SELECT value FROM settings WHERE name = ?1");
    query.bind(1, name);
    if (query.next()) return std::optional<std::string>(query.text(0));
    COFFER_TRY_STATUS(query.status());
    return std::optional<std::string>();
  }

  Status put_setting(const std::string& name, const std::string& value) override {
    COFFER_QUERY(query, *db_,
                 "INSERT INTO settings (name, value) VALUES (?1, ?2) "
                 "ON CONFLICT (name) DO UPDATE SET value = excluded.value");
    query.bind(1, name).bind(2, value);
    return query.run();
  }

  // One name for every level: ROLLBACK TO and RELEASE act on the innermost savepoint of that
  // name, and fixed statements stay prepared (the batch route opens one per op).
  Status begin_savepoint() override { return run("SAVEPOINT op"); }
  Status rollback_savepoint() override {
    COFFER_TRY_STATUS(run("ROLLBACK TO op"));
    return run("RELEASE op");
  }
  Status release_savepoint() override { return run("RELEASE op"); }

  Status run(const char* sql) {
    COFFER_QUERY(query, *db_, sql);
    return query.run();
  }

  Status commit() override {
    auto status = db_->exec("COMMIT");
    if (status) finished_ = true;
    return status;
  }

 private:
  SqliteMetadataStore& store_;
  std::unique_ptr<Connection> db_;
  bool writer_;
  bool finished_ = false;
  SqliteUsers users_;
  SqliteSessions sessions_;
  SqliteNodes nodes_;
  SqliteContent content_;
  SqliteTrash trash_;
  SqliteGrants grants_;
  SqliteChanges changes_;
  SqliteAudit audit_;
  SqliteLinks links_;
};

}  // namespace

Result<std::unique_ptr<SqliteMetadataStore>> SqliteMetadataStore::open(const std::filesystem::path& file,
                                                                        Options options) {
  std::unique_ptr<SqliteMetadataStore> store(new SqliteMetadataStore(file, options));
  auto first = Connection::open(file, options.busy_timeout);
  if (!first) return first.error();
  COFFER_TRY_STATUS(migrate(**first, schema_migrations(), schema_oldest_readable()));
  store->idle_.push_back(std::move(*first));
  store->open_count_ = 1;
  return store;
}

Result<std::unique_ptr<Connection>> SqliteMetadataStore::acquire() {
  std::unique_lock lock(pool_mutex_);
  const auto deadline = std::chrono::steady_clock::now() + options_.busy_timeout;
  while (idle_.empty() && open_count_ >= options_.max_connections) {
    if (pool_ready_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty()) {
      return make_error(Errc::unavailable, "all database connections are busy");
    }
  }
  if (!idle_.empty()) {
    auto connection = std::move(idle_.back());
    idle_.pop_back();
    return connection;
  }
  ++open_count_;
  lock.unlock();
  auto connection = Connection::open(file_, options_.busy_timeout);
  if (!connection) {
    std::lock_guard relock(pool_mutex_);
    --open_count_;
    pool_ready_.notify_one();
  }
  return connection;
}

void SqliteMetadataStore::release(std::unique_ptr<Connection> connection, bool writer) {
  {
    std::lock_guard lock(pool_mutex_);
    idle_.push_back(std::move(connection));
  }
  pool_ready_.notify_one();
  if (writer) writer_.unlock();
}

Result<std::unique_ptr<Transaction>> SqliteMetadataStore::begin(TransactionMode mode) {
  const bool writer = mode == TransactionMode::write;
  if (writer && !writer_.try_lock_for(options_.busy_timeout)) {
    return make_error(Errc::unavailable, "the database is busy with other writes");
  }
  auto connection = acquire();
  if (!connection) {
    if (writer) writer_.unlock();
    return connection.error();
  }
  auto started = (*connection)->exec(writer ? "BEGIN IMMEDIATE" : "BEGIN");
  if (!started) {
    release(std::move(*connection), writer);
    return started.error();
  }
  return std::unique_ptr<Transaction>(std::make_unique<SqliteTransaction>(*this, std::move(*connection), writer));
}

}  // namespace coffer::server::storage::sqlite
