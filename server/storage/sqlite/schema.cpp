#include "server/storage/sqlite/migrations.hpp"
#include "server/storage/sqlite/usage_sql.hpp"

// The schema, as a list of steps. A released step is never edited: a change to the schema is a
// new step at the end, so every older data directory upgrades through the same path.
// docs/server.md describes the tables.
//
// Schema versions 1 and 2 held data in format 1 (entries not bound to their nodes, no folder
// records), which this cofferd refuses to read; they were never released. The steps start at 3,
// so a format-1 data directory is refused at start instead of misread (migrate()). Versions 3 to
// 5 may hold manifests of format 2 (no data-block counts), which clients of this release refuse
// to read (docs/crypto.md); the server cannot open a manifest to tell, so step 6 marks the data
// directories that hold format 3 only, and those older are refused at start too. None of them
// was released.

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
  type INTEGER NOT NULL CHECK (type IN (0, 1, 2, 3)),
  attributes TEXT NOT NULL,
  attributes_revision INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  size INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  trashed_at INTEGER,
  folder_revision INTEGER NOT NULL DEFAULT 0,
  folder_record TEXT NOT NULL DEFAULT ''
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

#define COFFER_QUOTA_GUARD_TRIGGER                                                        \
  "CREATE TRIGGER quota_guard BEFORE UPDATE OF used ON users "                             \
  "WHEN NEW.quota IS NOT NULL AND NEW.used > OLD.used AND NEW.used > NEW.quota BEGIN " \
  "SELECT RAISE(ABORT, '" COFFER_QUOTA_GUARD_MESSAGE "'); END;"

// Quota accounting: the charges and the guard (usage_sql.hpp).
constexpr const char* kQuota =
    // Usage recounted from the rows (data written before this step counted blobs only).
    "UPDATE users SET used = " COFFER_COUNTED_USAGE_BEFORE_HISTORY("users.id") ";"
    "CREATE TRIGGER usage_node_insert AFTER INSERT ON nodes BEGIN "
    COFFER_CHARGE("NEW.owner_id", COFFER_NODE_BYTES("NEW")) " END;"
    "CREATE TRIGGER usage_node_update AFTER UPDATE OF attributes, folder_record ON nodes BEGIN "
    COFFER_CHARGE("NEW.owner_id", COFFER_NODE_BYTES("NEW") " - " COFFER_NODE_BYTES("OLD")) " END;"
    "CREATE TRIGGER usage_node_delete AFTER DELETE ON nodes BEGIN "
    COFFER_CHARGE("OLD.owner_id", "-" COFFER_NODE_BYTES("OLD")) " END;"
    "CREATE TRIGGER usage_entry_insert AFTER INSERT ON entries BEGIN "
    COFFER_CHARGE(COFFER_OWNER_OF("NEW.parent_id"), COFFER_ENTRY_BYTES("NEW")) " END;"
    "CREATE TRIGGER usage_entry_delete AFTER DELETE ON entries BEGIN "
    COFFER_CHARGE(COFFER_OWNER_OF("OLD.parent_id"), "-" COFFER_ENTRY_BYTES("OLD")) " END;"
    "CREATE TRIGGER usage_trash_insert AFTER INSERT ON trash BEGIN "
    COFFER_CHARGE(COFFER_OWNER_OF("NEW.node_id"), COFFER_ENTRY_BYTES("NEW")) " END;"
    "CREATE TRIGGER usage_trash_delete AFTER DELETE ON trash BEGIN "
    COFFER_CHARGE(COFFER_OWNER_OF("OLD.node_id"), "-" COFFER_ENTRY_BYTES("OLD")) " END;"
    "CREATE TRIGGER usage_version_insert AFTER INSERT ON versions BEGIN "
    COFFER_CHARGE(COFFER_OWNER_OF("NEW.node_id"), COFFER_VERSION_BYTES("NEW")) " END;"
    "CREATE TRIGGER usage_version_delete AFTER DELETE ON versions BEGIN "
    COFFER_CHARGE(COFFER_OWNER_OF("OLD.node_id"), "-" COFFER_VERSION_BYTES("OLD")) " END;"
    "CREATE TRIGGER usage_blob_hold AFTER INSERT ON user_blobs BEGIN "
    COFFER_CHARGE("NEW.user_id", COFFER_BLOB_SIZE("NEW.blob_id")) " END;"
    "CREATE TRIGGER usage_blob_release AFTER DELETE ON user_blobs BEGIN "
    COFFER_CHARGE("OLD.user_id", "-" COFFER_BLOB_SIZE("OLD.blob_id")) " END;" COFFER_QUOTA_GUARD_TRIGGER;

// The entry history (docs/server.md, "Entry history"): a row per entry from when it was added
// until it was removed, kept by triggers on `entries` so no code path can forget it, charged to
// the tree's owner like entries. Seeded from the entries present, which count from their
// created_at; entries removed before this step are unknown. The seed is charged by a recount,
// with the guard set aside: it stores nothing new, so it must not fail an upgrade over a quota.
constexpr const char* kEntryHistory =
    "CREATE TABLE entry_history ("
    "  id INTEGER PRIMARY KEY,"
    "  owner_id INTEGER NOT NULL REFERENCES users(id),"
    "  parent_id TEXT NOT NULL,"
    "  name_tag TEXT NOT NULL,"
    "  node_id TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  wrapped_key TEXT NOT NULL,"
    "  added_at INTEGER NOT NULL,"
    "  removed_at INTEGER"
    ") STRICT;"
    "CREATE INDEX entry_history_by_parent ON entry_history(parent_id, name_tag);"
    "CREATE INDEX entry_history_by_node ON entry_history(node_id);"
    "CREATE INDEX entry_history_by_removal ON entry_history(removed_at) WHERE removed_at IS NOT NULL;"
    "INSERT INTO entry_history (owner_id, parent_id, name_tag, node_id, name, wrapped_key, added_at) "
    "SELECT p.owner_id, e.parent_id, e.name_tag, e.node_id, e.name, e.wrapped_key, e.created_at "
    "FROM entries e JOIN nodes p ON p.id = e.parent_id;"
    "CREATE TRIGGER history_entry_added AFTER INSERT ON entries BEGIN "
    "INSERT INTO entry_history (owner_id, parent_id, name_tag, node_id, name, wrapped_key, added_at) VALUES ("
    COFFER_OWNER_OF("NEW.parent_id") ", NEW.parent_id, NEW.name_tag, NEW.node_id, NEW.name, NEW.wrapped_key, "
    "NEW.created_at); END;"
    "CREATE TRIGGER history_entry_removed AFTER DELETE ON entries BEGIN "
    "UPDATE entry_history SET removed_at = max(unixepoch(), added_at) "
    "WHERE parent_id = OLD.parent_id AND name_tag = OLD.name_tag AND removed_at IS NULL; END;"
    "CREATE TRIGGER usage_history_insert AFTER INSERT ON entry_history BEGIN "
    COFFER_CHARGE("NEW.owner_id", COFFER_ENTRY_BYTES("NEW")) " END;"
    "CREATE TRIGGER usage_history_delete AFTER DELETE ON entry_history BEGIN "
    COFFER_CHARGE("OLD.owner_id", "-" COFFER_ENTRY_BYTES("OLD")) " END;"
    "DROP TRIGGER quota_guard;"
    "UPDATE users SET used = " COFFER_COUNTED_USAGE_BEFORE_GRANTS("users.id") ";" COFFER_QUOTA_GUARD_TRIGGER;

// Sharing (docs/server.md, "Sharing"): SQLite cannot change a CHECK, so `grants` is rebuilt with
// the manage role and the granter; a grant made before this step was its node owner's, the only
// one who could have made it. `wrapped_key` keeps its name and holds the sealed grant. Grants
// are charged to the node's owner like entries; the rows present are charged by a recount, with
// the guard set aside as in step 10.
constexpr const char* kSharing =
    "CREATE TABLE grants_rebuilt ("
    "  node_id TEXT NOT NULL REFERENCES nodes(id),"
    "  grantee_id INTEGER NOT NULL REFERENCES users(id),"
    "  access TEXT NOT NULL CHECK (access IN ('read', 'write', 'manage')),"
    "  wrapped_key TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  granted_by INTEGER NOT NULL REFERENCES users(id),"
    "  PRIMARY KEY (node_id, grantee_id)"
    ") STRICT;"
    "INSERT INTO grants_rebuilt (node_id, grantee_id, access, wrapped_key, created_at, granted_by) "
    "SELECT g.node_id, g.grantee_id, g.access, g.wrapped_key, g.created_at, n.owner_id "
    "FROM grants g JOIN nodes n ON n.id = g.node_id;"
    "DROP TABLE grants;"
    "ALTER TABLE grants_rebuilt RENAME TO grants;"
    "CREATE INDEX grants_by_grantee ON grants(grantee_id);"
    "CREATE INDEX grants_by_granter ON grants(granted_by);"
    "CREATE TRIGGER usage_grant_insert AFTER INSERT ON grants BEGIN "
    COFFER_CHARGE(COFFER_OWNER_OF("NEW.node_id"), COFFER_GRANT_BYTES("NEW")) " END;"
    "CREATE TRIGGER usage_grant_update AFTER UPDATE OF wrapped_key ON grants BEGIN "
    COFFER_CHARGE(COFFER_OWNER_OF("NEW.node_id"), COFFER_GRANT_BYTES("NEW") " - " COFFER_GRANT_BYTES("OLD")) " END;"
    "CREATE TRIGGER usage_grant_delete AFTER DELETE ON grants BEGIN "
    COFFER_CHARGE(COFFER_OWNER_OF("OLD.node_id"), "-" COFFER_GRANT_BYTES("OLD")) " END;"
    "DROP TRIGGER quota_guard;"
    "UPDATE users SET used = " COFFER_COUNTED_USAGE("users.id") ";" COFFER_QUOTA_GUARD_TRIGGER;

// Share links (docs/server.md, "Links"). No foreign keys: a link goes with its node when the
// node row is deleted (purge, account removal) and with its creator's account, by triggers, so
// that those deletions need not know about links; tokens go with their link. Links are not
// charged to a quota: each user has at most 1000 live ones.
constexpr const char* kLinks =
    "CREATE TABLE links ("
    "  id TEXT PRIMARY KEY,"
    "  creator_id INTEGER NOT NULL,"
    "  node_id TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('file', 'folder')),"
    "  sealed_key TEXT NOT NULL,"
    "  password TEXT,"
    "  label TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER,"
    "  max_downloads INTEGER CHECK (max_downloads IS NULL OR max_downloads >= 1),"
    "  downloads INTEGER NOT NULL DEFAULT 0"
    ") STRICT;"
    "CREATE INDEX links_by_creator ON links(creator_id, created_at);"
    "CREATE INDEX links_by_node ON links(node_id);"
    "CREATE TABLE link_tokens ("
    "  token_hash TEXT PRIMARY KEY,"
    "  link_id TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL"
    ") STRICT;"
    "CREATE INDEX link_tokens_by_link ON link_tokens(link_id);"
    "CREATE INDEX link_tokens_by_expiry ON link_tokens(expires_at);"
    "CREATE TRIGGER links_node_deleted AFTER DELETE ON nodes BEGIN "
    "DELETE FROM links WHERE node_id = OLD.id; END;"
    "CREATE TRIGGER links_creator_deleted AFTER DELETE ON users BEGIN "
    "DELETE FROM links WHERE creator_id = OLD.id; END;"
    "CREATE TRIGGER link_tokens_link_deleted AFTER DELETE ON links BEGIN "
    "DELETE FROM link_tokens WHERE link_id = OLD.id; END;";

constexpr Migration kMigrations[] = {
    {3, "accounts, sessions and the audit log", kAccounts},
    {4, "nodes with folder records, entries, trash, blobs, versions, grants and the change feed", kTree},
    {5, "quota accounting: every stored row charged to users.used, and the quota guard", kQuota},
    {6, "manifests of format 3 only (no table changes)",
     "INSERT INTO settings (name, value) VALUES ('manifest_format', '3');"},
    // Rows written before this step name no session: no device takes them for its own.
    {7, "the change feed names the session that made each change",
     "ALTER TABLE changes ADD COLUMN session_id TEXT NOT NULL DEFAULT '';"},
    // gc releases a holding nothing lists only once it is older than its grace period, so an
    // upload whose commit is still to come keeps its blob; rows from before count from the upgrade.
    {8, "blob holdings record when they were last uploaded",
     "ALTER TABLE user_blobs ADD COLUMN held_at INTEGER NOT NULL DEFAULT 0;"
     "UPDATE user_blobs SET held_at = unixepoch();"},
    // The device that committed each version (versions committed before this step have none),
    // and the trash looked up by the folder that last held a node (restoring and purging a
    // tree) and by age (emptying and expiry).
    {9, "versions name their device; the trash is indexed by parent and by time",
     "ALTER TABLE versions ADD COLUMN device TEXT;"
     "CREATE INDEX trash_by_parent ON trash(parent_id);"
     "CREATE INDEX trash_by_time ON trash(trashed_at);"},
    {10, "the entry history, kept by triggers and charged like entries", kEntryHistory},
    {11, "grants with the manage role and their granter, charged to the node's owner", kSharing},
    {12, "share links and the tokens their openings hand out", kLinks},
};

constexpr int kOldestReadable = 6;

}  // namespace

std::span<const Migration> schema_migrations() { return kMigrations; }
int schema_oldest_readable() { return kOldestReadable; }

}  // namespace coffer::server::storage::sqlite
