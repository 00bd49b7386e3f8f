#pragma once

#include <filesystem>
#include <memory>

#include "server/storage/local/local_blob_store.hpp"
#include "server/storage/sqlite/sqlite_store.hpp"
#include "util/result.hpp"

namespace coffer::server::daemon {

// A server data directory: DIR/coffer.db (SQLite, WAL) and DIR/blobs/ (the blob store).
// cofferd holds DIR/cofferd.lock so two servers never share one directory; coffer-admin opens
// the same files beside a running cofferd (SQLite serializes the writers).
class DataDir {
 public:
  enum class Role { server, admin };
  // Creates the directory (mode 0700) when missing, upgrades the schema, and for the server
  // role takes the lock (Errc::unavailable when another cofferd holds it).
  static Result<std::unique_ptr<DataDir>> open(const std::filesystem::path& path, Role role,
                                               std::size_t max_connections);
  ~DataDir();
  DataDir(const DataDir&) = delete;
  DataDir& operator=(const DataDir&) = delete;

  storage::MetadataStore& metadata() { return *metadata_; }
  storage::LocalBlobStore& blobs() { return *blobs_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  DataDir() = default;
  std::filesystem::path path_;
  int lock_fd_ = -1;
  std::unique_ptr<storage::sqlite::SqliteMetadataStore> metadata_;
  std::unique_ptr<storage::LocalBlobStore> blobs_;
};

}  // namespace coffer::server::daemon
