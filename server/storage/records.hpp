#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coffer::server::storage {

// Rows as the metadata store keeps them. Binary values stay the canonical base64url text of
// the wire format (docs/server.md, "Stored values"); ids are lowercase hex text.

struct KdfRecord {
  std::string algorithm;
  std::uint64_t n = 0;
  std::uint64_t r = 0;
  std::uint64_t p = 0;
  std::string salt;
};

struct UserRecord {
  std::int64_t id = 0;
  std::string name;
  bool admin = false;
  bool disabled = false;
  std::int64_t created_at = 0;
  KdfRecord kdf;
  std::string auth_verifier;  // slow hash of auth_key (service/auth_verifier)
  std::string key_bundle;
  std::string public_key;
  std::string root_node_id;
  std::string root_wrapped_key;
  std::optional<std::uint64_t> quota;
  std::uint64_t used = 0;  // bytes of the distinct blobs the user holds
};

struct InviteRecord {
  std::string code_hash;  // SHA-256 hex of the code; the code itself is never stored
  std::string user_name;
  bool admin = false;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
};

struct SessionRecord {
  std::string id;          // 32 hex, public
  std::int64_t user_id = 0;
  std::string token_hash;  // SHA-256 hex of the bearer token; the token is never stored
  std::string device;
  std::int64_t created_at = 0;
  std::int64_t last_seen = 0;
  std::int64_t expires_at = 0;
  std::optional<std::int64_t> revoked_at;
};

// Stored as the enumerator's number (nodes.type); special: a FIFO, socket or device node.
enum class NodeType { file, folder, symlink, special };
const char* node_type_name(NodeType type);
std::optional<NodeType> node_type_from_name(std::string_view name);

struct NodeRecord {
  std::string id;
  std::int64_t owner_id = 0;
  NodeType type = NodeType::file;
  std::string attributes;
  std::uint64_t attributes_revision = 0;
  std::uint64_t version = 0;
  std::uint64_t size = 0;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> trashed_at;
  // Folders: the revision of their entry set and its sealed record (0 and empty until the
  // request that creates the folder has written its first one).
  std::uint64_t folder_revision = 0;
  std::string folder_record;
};

struct EntryRecord {
  std::string parent_id;
  std::string name_tag;
  std::string node_id;
  std::string name;
  std::string wrapped_key;
  std::int64_t created_at = 0;
};

// A node in the trash keeps the entry that last held it, so it can be restored.
struct TrashRecord {
  std::string node_id;
  std::int64_t trashed_at = 0;
  EntryRecord last_entry;
};

struct VersionRecord {
  std::string node_id;
  std::uint64_t version = 0;
  std::string manifest;
  std::uint64_t size = 0;
  std::uint64_t chunk_count = 0;
  std::int64_t created_at = 0;
  std::int64_t created_by = 0;
  std::optional<std::string> device;  // the committing session's device; none before schema step 9
};

// A node in the trash as the trash listing shows it.
struct TrashItem {
  NodeRecord node;
  TrashRecord trash;
  bool parent_in_trash = false;  // the folder that last held it is in the trash too, or purged
};

// A version as a listing at a past time shows its node: the highest version committed at or
// before that time that is still kept.
struct VersionAt {
  std::uint64_t version = 0;
  std::uint64_t size = 0;
};

// A node removed for good, for the change feed.
struct PurgedNode {
  std::string node_id;
  std::int64_t owner_id = 0;
};

// What a purge removed.
struct PurgeResult {
  std::vector<PurgedNode> nodes;
  std::uint64_t versions = 0;
  // The blobs those versions listed that no version lists any more: what gc can free once no
  // upload holds them either.
  std::uint64_t unreferenced_blobs = 0;
  std::uint64_t unreferenced_bytes = 0;
};

// The blobs a user holds, by what needs them (GET /v1/usage): each counted once, in the first
// of these that lists it; what none lists is in none.
struct UsageSplit {
  std::uint64_t current = 0;   // the current version of a node not in the trash
  std::uint64_t versions = 0;  // an older version of a node not in the trash
  std::uint64_t trash = 0;     // any version of a node in the trash
};

// A grant's role, weakest first: each includes the ones before it (manage = write + changing the
// grants on the node and below it). Stored as its name (grants.access).
enum class Access { read, write, manage };
const char* access_name(Access access);
std::optional<Access> access_from_name(std::string_view name);
// Whether `have` includes `need`.
inline bool includes(Access have, Access need) { return static_cast<int>(have) >= static_cast<int>(need); }

struct GrantRecord {
  std::string node_id;
  std::int64_t grantee_id = 0;
  Access access = Access::read;
  std::string wrapped_key;  // the sealed grant (docs/crypto.md): opaque to the server
  std::int64_t created_at = 0;
  std::int64_t granted_by = 0;  // the user who made or last changed the grant
};

// A grant with the names that show it (the node's owner, the grantee, the granter).
struct GrantListing {
  GrantRecord grant;
  std::int64_t owner_id = 0;
  std::string owner;
  std::string grantee;
  std::string granted_by;
  bool node_trashed = false;
};

// A share link (docs/server.md, "Links"). `sealed_key`, `label` and `password` (the JSON of
// its salt and KDF parameters) are opaque to the server.
struct LinkRecord {
  std::string id;  // base64url of 16 bytes, chosen by the client
  std::int64_t creator_id = 0;
  std::string node_id;
  std::string kind;  // "file" | "folder"
  std::string sealed_key;
  std::optional<std::string> password;
  std::string label;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> expires_at;
  std::optional<std::uint64_t> max_downloads;
  std::uint64_t downloads = 0;
};

// A bearer token handed out by opening a link; only its SHA-256 is stored.
struct LinkTokenRecord {
  std::string token_hash;
  std::string link_id;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
};

struct ChangeRecord {
  std::uint64_t cursor = 0;
  std::int64_t owner_id = 0;
  std::string node_id;
  std::optional<std::string> parent_id;
  std::string kind;
  std::int64_t at = 0;
  std::string session_id;  // the session whose request made the change
};

struct AuditRecord {
  std::int64_t id = 0;
  std::int64_t at = 0;
  std::string event;
  std::optional<std::string> user;
  std::string address;
  std::string detail;
};

struct StoreStats {
  std::uint64_t users = 0;
  std::uint64_t sessions = 0;
  std::uint64_t nodes = 0;
  std::uint64_t versions = 0;
  std::uint64_t blobs = 0;
  std::uint64_t bytes = 0;
  std::uint64_t links = 0;  // live: not expired, downloads left
};

}  // namespace coffer::server::storage
