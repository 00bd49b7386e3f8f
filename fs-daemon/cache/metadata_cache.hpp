#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/fernet.hpp"
#include "util/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace coffer::cache {

// What a row of the metadata cache describes: a folder's listing or one node.
enum class MetadataKind : std::uint8_t { folder = 1, node = 2 };

struct MetadataKey {
  MetadataKind kind = MetadataKind::folder;
  std::string id;
};

// Where the cache stands: the change feed cursor up to which its rows are current, and whether
// the daemon that wrote it stopped with every row written (then the changes after the cursor
// that its own session made are already in the rows).
struct MetadataState {
  std::uint64_t cursor = 0;
  bool clean = false;
};

// One transaction: rows written, rows removed, and the state when it moves.
struct MetadataBatch {
  std::vector<std::pair<MetadataKey, SecureBytes>> puts;
  std::vector<MetadataKey> drops;
  std::optional<MetadataState> state;
  bool empty() const { return puts.empty() && drops.empty() && !state; }
};

// The persistent metadata cache (docs/client.md, "Metadata cache"): metadata.db in the profile,
// SQLite (WAL), one row per folder listing or node and one for the state, each row's value a
// Fernet token under the cache key over the row's kind and id and its plaintext, so a row
// moved to another id or kind does not open. What the rows say is the caller's
// (vfs/metadata_records.hpp); this class seals, stores and drops. A row that does not open
// (torn, damaged, another key) is deleted and logged, and reads as absent. A state row that
// does not open means the whole cache is another login's or damaged: open() empties it.
// Thread-safe; mutex_ is a leaf lock.
class MetadataCache {
 public:
  // HKDF-SHA256(journal key, salt = SHA-256(identity), info "coffer/v1/metadata-cache"):
  // `identity` names the login (server URL, user id, root folder), so another login's cache
  // never opens even when a profile keeps its journal key across logins.
  static crypto::FernetKey derive_key(const crypto::FernetKey& journal_key, std::string_view identity);
  static Result<std::unique_ptr<MetadataCache>> open(const std::filesystem::path& db_path, crypto::FernetKey key);
  ~MetadataCache();
  MetadataCache(const MetadataCache&) = delete;
  MetadataCache& operator=(const MetadataCache&) = delete;

  std::optional<MetadataState> state();
  // The row's plaintext; none when absent or when it does not open (then it is deleted).
  std::optional<SecureBytes> read(const MetadataKey& key);
  Status write(const MetadataBatch& batch);
  // Every row, the state included: the next mount lists from the server.
  Status clear();

 private:
  MetadataCache(sqlite3* db, crypto::FernetKey key) : db_(db), key_(std::move(key)) {}
  Status prepare();
  std::optional<SecureBytes> read_locked(std::uint8_t kind, const std::string& id);
  Status put_locked(std::uint8_t kind, const std::string& id, ByteView plaintext);
  Status drop_locked(std::uint8_t kind, const std::string& id);
  Status clear_locked();
  Error failed(const char* what) const;

  std::mutex mutex_;  // guards db_ and the statements
  sqlite3* db_ = nullptr;
  crypto::FernetKey key_;
  sqlite3_stmt* select_ = nullptr;
  sqlite3_stmt* upsert_ = nullptr;
  sqlite3_stmt* delete_ = nullptr;
};

}  // namespace coffer::cache
