#include "server/storage/sqlite/migrations.hpp"

// The schema, as a list of steps. A released step is never edited: a change to the schema is a
// new step at the end, so every older data directory upgrades through the same path.
// docs/server.md describes the tables.

namespace coffer::server::storage::sqlite {
namespace {

constexpr const char* kAccounts = R"sql(
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  admin INTEGER NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  kdf_algorithm TEXT NOT NULL,
  kdf_n INTEGER NOT NULL,
  kdf_r INTEGER NOT NULL,
  kdf_p INTEGER NOT NULL,
  kdf_salt TEXT NOT NULL,
  auth_verifier TEXT NOT NULL,
  key_bundle TEXT NOT NULL,
  public_key TEXT NOT NULL,
  root_node_id TEXT NOT NULL UNIQUE,
  root_wrapped_key TEXT NOT NULL,
  quota INTEGER,
  used INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE invites (
  code_hash TEXT PRIMARY KEY,
  user_name TEXT NOT NULL UNIQUE,
  admin INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash TEXT NOT NULL UNIQUE,
  device TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;
CREATE INDEX sessions_by_user ON sessions(user_id);

CREATE TABLE audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  event TEXT NOT NULL,
  user_name TEXT,
  address TEXT NOT NULL,
  detail TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_time ON audit(at);
)sql";

constexpr const char* kTree = R"sql(
CREATE TABLE nodes (
  id TEXT PRIMARY KEY,
  owner_id INTEGER NOT NULL REFERENCES users(id),
  type INTEGER NOT NULL CHECK (type IN (0, 1, 2)),
  attributes TEXT NOT NULL,
  attributes_revision INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  size INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  trashed_at INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX nodes_by_owner ON nodes(owner_id);

CREATE TABLE entries (
  parent_id TEXT NOT NULL REFERENCES nodes(id),
  name_tag TEXT NOT NULL,
  node_id TEXT NOT NULL REFERENCES nodes(id),
  name TEXT NOT NULL,
  wrapped_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (parent_id, name_tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX entries_by_node ON entries(node_id);

CREATE TABLE trash (
  node_id TEXT PRIMARY KEY REFERENCES nodes(id),
  trashed_at INTEGER NOT NULL,
  parent_id TEXT NOT NULL,
  name_tag TEXT NOT NULL,
  name TEXT NOT NULL,
  wrapped_key TEXT NOT NULL
) STRICT;

CREATE TABLE blobs (
  id TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE user_blobs (
  user_id INTEGER NOT NULL REFERENCES users(id),
  blob_id TEXT NOT NULL REFERENCES blobs(id),
  PRIMARY KEY (user_id, blob_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE versions (
  node_id TEXT NOT NULL REFERENCES nodes(id),
  version INTEGER NOT NULL,
  manifest TEXT NOT NULL,
  size INTEGER NOT NULL,
  chunk_count INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  created_by INTEGER NOT NULL,
  PRIMARY KEY (node_id, version)
) STRICT;

CREATE TABLE version_chunks (
  node_id TEXT NOT NULL,
  version INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  blob_id TEXT NOT NULL REFERENCES blobs(id),
  PRIMARY KEY (node_id, version, seq),
  FOREIGN KEY (node_id, version) REFERENCES versions(node_id, version)
) STRICT, WITHOUT ROWID;
CREATE INDEX version_chunks_by_blob ON version_chunks(blob_id);

CREATE TABLE grants (
  node_id TEXT NOT NULL REFERENCES nodes(id),
  grantee_id INTEGER NOT NULL REFERENCES users(id),
  access TEXT NOT NULL CHECK (access IN ('read', 'write')),
  wrapped_key TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (node_id, grantee_id)
) STRICT;
CREATE INDEX grants_by_grantee ON grants(grantee_id);

CREATE TABLE changes (
  cursor INTEGER PRIMARY KEY AUTOINCREMENT,
  owner_id INTEGER NOT NULL,
  node_id TEXT NOT NULL,
  parent_id TEXT,
  kind TEXT NOT NULL,
  at INTEGER NOT NULL
) STRICT;
CREATE INDEX changes_by_owner ON changes(owner_id, cursor);
)sql";

// Special files (FIFOs, sockets, device nodes) are node type 3. SQLite cannot alter a CHECK
// constraint, and rebuilding `nodes` would need foreign keys off outside a transaction. Widening
// the constraint changes no stored row, so this is SQLite's documented in-place edit of the
// table's definition (sqlite.org/lang_altertable.html, "Making Other Kinds Of Table Schema
// Changes"): rewrite the text, reload this connection's schema, and change the schema cookie
// (the CREATE and DROP) so that every other connection reloads it too.
constexpr const char* kSpecialFiles = R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_schema SET sql = replace(sql, 'CHECK (type IN (0, 1, 2))', 'CHECK (type IN (0, 1, 2, 3))')
  WHERE type = 'table' AND name = 'nodes';
PRAGMA writable_schema = RESET;
CREATE TABLE schema_cookie_bump (x INTEGER) STRICT;
DROP TABLE schema_cookie_bump;
)sql";

constexpr Migration kMigrations[] = {
    {1, "accounts, sessions and the audit log", kAccounts},
    {2, "nodes, entries, trash, blobs, versions, grants and the change feed", kTree},
    {3, "node type 3: special files", kSpecialFiles},
};

}  // namespace

std::span<const Migration> schema_migrations() { return kMigrations; }

}  // namespace coffer::server::storage::sqlite
