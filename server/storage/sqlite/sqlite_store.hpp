#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include "server/storage/metadata_store.hpp"
#include "server/storage/sqlite/connection.hpp"

namespace coffer::server::storage::sqlite {

// The metadata store in one SQLite database file in WAL mode. Connections are pooled (one per
// concurrent transaction, opened on demand up to `max_connections`); writers in this process
// take turns on a mutex before BEGIN IMMEDIATE, and other processes (coffer-admin) wait up to
// the busy timeout.
class SqliteMetadataStore final : public MetadataStore {
 public:
  struct Options {
    std::size_t max_connections = 16;
    std::chrono::milliseconds busy_timeout{10000};
  };

  // Opens (creating if needed) and migrates the database; refuses one from a newer binary.
  static Result<std::unique_ptr<SqliteMetadataStore>> open(const std::filesystem::path& file, Options options);

  Result<std::unique_ptr<Transaction>> begin(TransactionMode mode) override;

  // For SqliteTransaction: hands a connection back to the pool.
  void release(std::unique_ptr<Connection> connection, bool writer);

 private:
  SqliteMetadataStore(std::filesystem::path file, Options options) : file_(std::move(file)), options_(options) {}
  Result<std::unique_ptr<Connection>> acquire();

  std::filesystem::path file_;
  Options options_;
  std::mutex pool_mutex_;
  std::condition_variable pool_ready_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::size_t open_count_ = 0;
  std::timed_mutex writer_;
};

}  // namespace coffer::server::storage::sqlite
