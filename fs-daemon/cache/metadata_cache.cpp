#include "cache/metadata_cache.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <algorithm>

#include "cache/local_database.hpp"
#include "crypto/hash.hpp"

namespace coffer::cache {
namespace {

// metadata.db's layout; user_version says which. Another version is emptied and recreated: it
// is a cache.
constexpr int kMetadataFormat = 1;
constexpr std::uint8_t kStateKind = 0;
const std::string kStateId = "state";

bool create_schema(sqlite3* db) {
  return prepare_local_database(db, kMetadataFormat,
                                "DROP TABLE IF EXISTS rows;"
                                "CREATE TABLE rows(kind INTEGER NOT NULL, id TEXT NOT NULL, token BLOB NOT NULL,"
                                " PRIMARY KEY(kind, id)) WITHOUT ROWID;");
}

// The sealed plaintext: the kind, the id and a zero byte, then the row's own bytes.
SecureBytes bound(std::uint8_t kind, const std::string& id, ByteView plaintext) {
  SecureBytes out;
  out.reserve(id.size() + 2 + plaintext.size());
  out.push_back(kind);
  out.insert(out.end(), id.begin(), id.end());
  out.push_back(0);
  out.insert(out.end(), plaintext.begin(), plaintext.end());
  return out;
}

// The row's own bytes when the sealed plaintext names this kind and id.
std::optional<SecureBytes> unbound(std::uint8_t kind, const std::string& id, ByteView opened) {
  const std::size_t header = id.size() + 2;
  if (opened.size() < header || opened[0] != kind || opened[header - 1] != 0 ||
      !std::equal(id.begin(), id.end(), opened.begin() + 1)) {
    return std::nullopt;
  }
  return SecureBytes(opened.begin() + static_cast<std::ptrdiff_t>(header), opened.end());
}

SecureBytes encode_state(const MetadataState& state) {
  SecureBytes out;
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(state.cursor >> (8 * i)));
  out.push_back(state.clean ? 1 : 0);
  return out;
}

const char* kind_name(std::uint8_t kind) {
  switch (kind) {
    case kStateKind: return "state";
    case static_cast<std::uint8_t>(MetadataKind::folder): return "folder";
    default: return "node";
  }
}

std::optional<MetadataState> decode_state(ByteView bytes) {
  if (bytes.size() != 9 || bytes[8] > 1) return std::nullopt;
  MetadataState state;
  for (int i = 0; i < 8; ++i) state.cursor |= static_cast<std::uint64_t>(bytes[i]) << (8 * i);
  state.clean = bytes[8] == 1;
  return state;
}

}  // namespace

crypto::FernetKey MetadataCache::derive_key(const crypto::FernetKey& journal_key, std::string_view identity) {
  const auto salt = crypto::sha256(as_bytes(identity));
  auto raw = crypto::hkdf_sha256(journal_key.raw(), "coffer/v1/metadata-cache", crypto::FernetKey::kSize, salt);
  return std::move(crypto::FernetKey::from_raw(raw)).value();
}

Result<std::unique_ptr<MetadataCache>> MetadataCache::open(const std::filesystem::path& db_path, crypto::FernetKey key) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string message = db_path.string() + ": " + sqlite3_errmsg(db);
    sqlite3_close(db);
    return make_error(Errc::io, message);
  }
  std::unique_ptr<MetadataCache> cache(new MetadataCache(db, std::move(key)));
  if (!create_schema(db)) return make_error(Errc::io, db_path.string() + ": " + sqlite3_errmsg(db));
  COFFER_TRY_STATUS(cache->prepare());
  std::lock_guard lock(cache->mutex_);
  sqlite3_bind_int(cache->select_, 1, kStateKind);
  sqlite3_bind_text(cache->select_, 2, kStateId.data(), static_cast<int>(kStateId.size()), SQLITE_STATIC);
  const bool has_state = sqlite3_step(cache->select_) == SQLITE_ROW;
  sqlite3_reset(cache->select_);
  if (has_state && !cache->read_locked(kStateKind, kStateId)) {
    spdlog::warn("metadata cache {}: does not open under this login's key (another login's, or damaged); emptied",
                 db_path.string());
    COFFER_TRY_STATUS(cache->clear_locked());
  }
  return cache;
}

Status MetadataCache::prepare() {
  if (sqlite3_prepare_v2(db_, "SELECT token FROM rows WHERE kind = ? AND id = ?", -1, &select_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db_, "INSERT INTO rows(kind, id, token) VALUES(?, ?, ?) "
                              "ON CONFLICT(kind, id) DO UPDATE SET token = excluded.token",
                         -1, &upsert_, nullptr) != SQLITE_OK ||
      sqlite3_prepare_v2(db_, "DELETE FROM rows WHERE kind = ? AND id = ?", -1, &delete_, nullptr) != SQLITE_OK) {
    return failed("prepare");
  }
  return {};
}

MetadataCache::~MetadataCache() {
  sqlite3_finalize(select_);
  sqlite3_finalize(upsert_);
  sqlite3_finalize(delete_);
  sqlite3_close(db_);
}

Error MetadataCache::failed(const char* what) const {
  return make_error(Errc::io, std::string("metadata cache: ") + what + ": " + sqlite3_errmsg(db_));
}

std::optional<SecureBytes> MetadataCache::read_locked(std::uint8_t kind, const std::string& id) {
  sqlite3_bind_int(select_, 1, kind);
  sqlite3_bind_text(select_, 2, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
  std::optional<Bytes> token;
  if (sqlite3_step(select_) == SQLITE_ROW) {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(select_, 0));
    token.emplace(data, data + sqlite3_column_bytes(select_, 0));
  }
  sqlite3_reset(select_);
  if (!token) return std::nullopt;
  auto opened = crypto::fernet_decrypt_secret(key_, *token);
  std::optional<SecureBytes> row = opened ? unbound(kind, id, *opened) : std::nullopt;
  if (!row) {
    spdlog::warn("metadata cache: the {} row {} does not open; dropped", kind_name(kind), id);
    (void)drop_locked(kind, id);
  }
  return row;
}

Status MetadataCache::put_locked(std::uint8_t kind, const std::string& id, ByteView plaintext) {
  const Bytes token = crypto::fernet_encrypt_raw(key_, bound(kind, id, plaintext));
  sqlite3_bind_int(upsert_, 1, kind);
  sqlite3_bind_text(upsert_, 2, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
  sqlite3_bind_blob(upsert_, 3, token.data(), static_cast<int>(token.size()), SQLITE_STATIC);
  const int stepped = sqlite3_step(upsert_);
  sqlite3_reset(upsert_);
  return stepped == SQLITE_DONE ? Status{} : Status(failed("write"));
}

Status MetadataCache::drop_locked(std::uint8_t kind, const std::string& id) {
  sqlite3_bind_int(delete_, 1, kind);
  sqlite3_bind_text(delete_, 2, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
  const int stepped = sqlite3_step(delete_);
  sqlite3_reset(delete_);
  return stepped == SQLITE_DONE ? Status{} : Status(failed("delete"));
}

Status MetadataCache::clear_locked() {
  return exec_sql(db_, "DELETE FROM rows") ? Status{} : Status(failed("clear"));
}

std::optional<MetadataState> MetadataCache::state() {
  std::lock_guard lock(mutex_);
  auto row = read_locked(kStateKind, kStateId);
  if (!row) return std::nullopt;
  return decode_state(*row);
}

std::optional<SecureBytes> MetadataCache::read(const MetadataKey& key) {
  std::lock_guard lock(mutex_);
  return read_locked(static_cast<std::uint8_t>(key.kind), key.id);
}

// Sealing happens here, under the cache's own lock only: the caller holds no other.
Status MetadataCache::write(const MetadataBatch& batch) {
  if (batch.empty()) return {};
  std::lock_guard lock(mutex_);
  if (!exec_sql(db_, "BEGIN")) return failed("begin");
  Status written;
  for (const auto& [key, plaintext] : batch.puts) {
    if (written) written = put_locked(static_cast<std::uint8_t>(key.kind), key.id, plaintext);
  }
  for (const auto& key : batch.drops) {
    if (written) written = drop_locked(static_cast<std::uint8_t>(key.kind), key.id);
  }
  if (written && batch.state) written = put_locked(kStateKind, kStateId, encode_state(*batch.state));
  if (!written) {
    exec_sql(db_, "ROLLBACK");
    return written;
  }
  return exec_sql(db_, "COMMIT") ? Status{} : Status(failed("commit"));
}

Status MetadataCache::clear() {
  std::lock_guard lock(mutex_);
  return clear_locked();
}

}  // namespace coffer::cache
