#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "server/storage/records.hpp"
#include "util/result.hpp"

namespace coffer::server::storage {

// The metadata store: users, sessions, nodes, versions, grants, the change feed and the audit
// log. Every read and write happens inside a Transaction; a Transaction that is destroyed
// without commit() changes nothing. Implementations: SQLite (sqlite/); a PostgreSQL one can
// follow behind the same interface. UserRecord::used is maintained by the store itself: every
// row it keeps for a user is charged as it is written, and a write that would take a user past
// their quota fails with Errc::quota_exceeded, changing nothing (docs/server.md, "Quota").
// Errors: Errc::already_exists on a unique-key clash,
// Errc::not_found when a row to change is missing, Errc::unavailable when the database is busy
// past its timeout, Errc::io otherwise.

class UserTable {
 public:
  virtual ~UserTable() = default;
  virtual Result<std::optional<UserRecord>> find_by_name(const std::string& name) = 0;
  virtual Result<std::optional<UserRecord>> find_by_id(std::int64_t id) = 0;
  virtual Result<std::int64_t> insert(const UserRecord& user) = 0;
  virtual Status update_credentials(std::int64_t id, const KdfRecord& kdf, const std::string& auth_verifier,
                                    const std::string& key_bundle) = 0;
  virtual Status set_disabled(std::int64_t id, bool disabled) = 0;
  virtual Status set_quota(std::int64_t id, std::optional<std::uint64_t> quota) = 0;
  // Deletes the user with everything they own: sessions, grants (on their nodes, to them and by
  // them), nodes, entries, versions,
  // blob holdings and the change feed's rows of their tree. The blob rows that nothing holds or
  // lists any more go too; their ids are returned, and their files are the caller's to remove
  // (docs/server.md, "Deleting an account"). Blobs another user holds or lists stay.
  virtual Result<std::vector<std::string>> remove(std::int64_t id) = 0;
  // The user's usage counted again from every row that is charged to them: what `used` (kept up
  // to date by the store as rows change, docs/server.md "Quota") must equal. For fsck and tests.
  virtual Result<std::uint64_t> counted_usage(std::int64_t id) = 0;
  virtual Result<std::vector<UserRecord>> list() = 0;

  virtual Status insert_invite(const InviteRecord& invite) = 0;
  virtual Result<std::optional<InviteRecord>> find_invite(const std::string& code_hash) = 0;
  virtual Result<std::optional<InviteRecord>> find_invite_for(const std::string& user_name) = 0;
  virtual Status remove_invite(const std::string& code_hash) = 0;
  virtual Result<std::vector<InviteRecord>> list_invites() = 0;
};

class SessionTable {
 public:
  virtual ~SessionTable() = default;
  virtual Status insert(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> find(const std::string& id) = 0;
  virtual Result<std::optional<SessionRecord>> find_by_token_hash(const std::string& token_hash) = 0;
  virtual Status touch(const std::string& id, std::int64_t now) = 0;
  virtual Status revoke(const std::string& id, std::int64_t now) = 0;
  // Revokes every live session of the user except `keep`; returns how many.
  virtual Result<std::uint64_t> revoke_all(std::int64_t user_id, const std::optional<std::string>& keep,
                                           std::int64_t now) = 0;
  // Live sessions (not revoked, not expired at `now`), newest first; all users when none given.
  virtual Result<std::vector<SessionRecord>> list_live(std::optional<std::int64_t> user_id, std::int64_t now) = 0;
};

class NodeTable {
 public:
  virtual ~NodeTable() = default;
  virtual Status insert(const NodeRecord& node) = 0;
  virtual Result<std::optional<NodeRecord>> find(const std::string& id) = 0;
  virtual Status set_attributes(const std::string& id, const std::string& attributes, std::uint64_t revision) = 0;
  virtual Status set_version(const std::string& id, std::uint64_t version, std::uint64_t size) = 0;
  virtual Status set_trashed(const std::string& id, std::optional<std::int64_t> trashed_at) = 0;
  virtual Status set_folder_record(const std::string& id, std::uint64_t revision, const std::string& record) = 0;

  virtual Status insert_entry(const EntryRecord& entry) = 0;
  virtual Result<std::optional<EntryRecord>> find_entry(const std::string& parent_id, const std::string& name_tag) = 0;
  virtual Status remove_entry(const std::string& parent_id, const std::string& name_tag) = 0;
  // The entries that place `node_id` (its parents); at most one for a folder.
  virtual Result<std::vector<EntryRecord>> entries_of(const std::string& node_id) = 0;
  virtual Result<std::uint64_t> count_entries_of(const std::string& node_id) = 0;
  // A folder's entries ordered by name tag, after `after` (exclusive), at most `limit`.
  virtual Result<std::vector<EntryRecord>> list_children(const std::string& parent_id, const std::string& after,
                                                         std::size_t limit) = 0;
  virtual Result<bool> has_children(const std::string& parent_id) = 0;
  // A folder's entries as they were at `at` (UNIX seconds), from the entry history, ordered by
  // name tag after `after`, at most `limit`; created_at is when each was added.
  virtual Result<std::vector<EntryRecord>> list_children_at(const std::string& parent_id, std::int64_t at,
                                                            const std::string& after, std::size_t limit) = 0;

  virtual Status insert_trash(const TrashRecord& trash) = 0;
  virtual Status remove_trash(const std::string& node_id) = 0;
  virtual Result<std::optional<TrashRecord>> find_trash(const std::string& node_id) = 0;
};

class ContentTable {
 public:
  virtual ~ContentTable() = default;
  virtual Status insert_version(const VersionRecord& version, const std::vector<std::string>& chunks) = 0;
  virtual Result<std::optional<VersionRecord>> find_version(const std::string& node_id, std::uint64_t version) = 0;
  virtual Result<std::vector<VersionRecord>> list_versions(const std::string& node_id) = 0;
  virtual Result<std::vector<std::string>> version_chunks(const std::string& node_id, std::uint64_t version) = 0;
  // The highest kept version of the node committed at or before `at`; none when there is none.
  virtual Result<std::optional<VersionAt>> version_at(const std::string& node_id, std::int64_t at) = 0;

  // Blobs: a row once its file is durable (true when the row is new; an existing row stays);
  // holdings count each blob once per user.
  virtual Result<bool> insert_blob(const std::string& blob_id, std::uint64_t size, std::int64_t now) = 0;
  virtual Result<std::optional<std::uint64_t>> blob_size(const std::string& blob_id) = 0;
  // Records that the user holds the blob and adds its size to the user's usage; false when
  // they held it already.
  virtual Result<bool> hold_blob(std::int64_t user_id, const std::string& blob_id) = 0;
  virtual Result<bool> holds_blob(std::int64_t user_id, const std::string& blob_id) = 0;
  // Nodes with a version that lists the blob, at most `limit`.
  virtual Result<std::vector<std::string>> nodes_referencing(const std::string& blob_id, std::size_t limit) = 0;
  // Nodes whose current version lists the blob, at most `limit` (what a link may read).
  virtual Result<std::vector<std::string>> nodes_currently_referencing(const std::string& blob_id,
                                                                       std::size_t limit) = 0;
  // The blobs the user holds, split by the versions that list them (UsageSplit).
  virtual Result<UsageSplit> usage_split(std::int64_t user_id) = 0;
};

// The trash: nodes that lost their last entry (NodeTable keeps their trash rows), listed, and
// purged for good.
class TrashTable {
 public:
  virtual ~TrashTable() = default;
  // The nodes in the trash of the user and of the owners who shared a node with the user (the
  // caller keeps those the user may read), ordered by node id, after `after` (exclusive), at
  // most `limit`.
  virtual Result<std::vector<TrashItem>> list(std::int64_t user_id, const std::string& after, std::size_t limit) = 0;
  // Nodes in the trash trashed before `before` (all when none), oldest first, at most `limit`;
  // only the user's when `owner_id` is given.
  virtual Result<std::vector<std::string>> trashed_before(std::optional<std::int64_t> owner_id,
                                                          std::optional<std::int64_t> before, std::size_t limit) = 0;
  // Removes each node in the trash named, and every node in the trash whose trash row names one
  // of those as its folder, recursively: versions, chunk lists, grants, trash rows, node rows and
  // the entry history of and in them.
  // Names that are not in the trash are skipped. The store gives their bytes back to the owners;
  // the blobs their versions listed are left to gc.
  virtual Result<PurgeResult> purge(const std::vector<std::string>& node_ids) = 0;
};

// Sharing grants (docs/server.md, "Sharing"). Listings are ordered by node id, then grantee name.
class GrantTable {
 public:
  virtual ~GrantTable() = default;
  // Inserts the grant, or replaces the access, sealed grant and granter of the existing one
  // (created_at kept); true when it is new. Charged to the node's owner like an entry.
  virtual Result<bool> upsert(const GrantRecord& grant) = 0;
  virtual Result<std::optional<GrantRecord>> find(const std::string& node_id, std::int64_t grantee_id) = 0;
  virtual Status remove(const std::string& node_id, std::int64_t grantee_id) = 0;
  virtual Result<bool> has_any(std::int64_t grantee_id) = 0;
  // Grants on nodes the user owns, and grants the user made on others' nodes; at most `limit`.
  virtual Result<std::vector<GrantListing>> list_outgoing(std::int64_t user_id, std::size_t limit) = 0;
  // Grants whose grantee is the user; at most `limit`.
  virtual Result<std::vector<GrantListing>> list_incoming(std::int64_t user_id, std::size_t limit) = 0;
  // Grants where the user is the node's owner, the grantee or the granter (every grant when
  // none); at most `limit`.
  virtual Result<std::vector<GrantListing>> list_involving(std::optional<std::int64_t> user_id, std::size_t limit) = 0;
};

// Share links and the tokens their openings hand out. A link goes with its node (deleted or
// purged) and with its creator's account; its tokens go with it.
class LinkTable {
 public:
  virtual ~LinkTable() = default;
  // Errc::already_exists when the id is taken.
  virtual Status insert(const LinkRecord& link) = 0;
  virtual Result<std::optional<LinkRecord>> find(const std::string& id) = 0;
  virtual Status remove(const std::string& id) = 0;
  // The user's links, newest first, at most `limit`.
  virtual Result<std::vector<LinkRecord>> list_by_creator(std::int64_t creator_id, std::size_t limit) = 0;
  // The user's links still usable at `now`: not expired and with downloads left.
  virtual Result<std::uint64_t> count_live(std::int64_t creator_id, std::int64_t now) = 0;
  // All the user's links, live or ended.
  virtual Result<std::uint64_t> count_all(std::int64_t creator_id) = 0;
  // Removes the user's links that expired at or before `cutoff` (their tokens go with them).
  virtual Status remove_expired_before(std::int64_t creator_id, std::int64_t cutoff) = 0;
  // Adds one download; false (nothing changed) when the link is gone, expired at `now` or has
  // no downloads left.
  virtual Result<bool> count_download(const std::string& id, std::int64_t now) = 0;
  virtual Status insert_token(const LinkTokenRecord& token) = 0;
  virtual Result<std::optional<LinkTokenRecord>> find_token(const std::string& token_hash) = 0;
  // Keeps the link's newest `keep` tokens and removes the older ones.
  virtual Status keep_newest_tokens(const std::string& link_id, std::size_t keep) = 0;
  // Removes the tokens expired at `now`; returns how many.
  virtual Result<std::uint64_t> remove_expired_tokens(std::int64_t now) = 0;
};

class ChangeTable {
 public:
  virtual ~ChangeTable() = default;
  virtual Result<std::uint64_t> append(const ChangeRecord& change) = 0;
  // Changes after `cursor` in order, at most `limit`, of every owner.
  virtual Result<std::vector<ChangeRecord>> list_after(std::uint64_t cursor, std::size_t limit) = 0;
  // The same, only of rows whose owner is the user or owns a node shared with the user: every
  // row the user may see, and others the caller filters by access.
  virtual Result<std::vector<ChangeRecord>> list_after_for(std::uint64_t cursor, std::int64_t user_id,
                                                           std::size_t limit) = 0;
  virtual Result<std::uint64_t> latest_cursor() = 0;
};

class AuditTable {
 public:
  virtual ~AuditTable() = default;
  virtual Status append(const AuditRecord& record) = 0;
  virtual Result<std::vector<AuditRecord>> list_since(std::int64_t since, std::size_t limit) = 0;
  // Records of `event` since `since` whose detail begins with `detail_prefix`.
  virtual Result<std::size_t> count_since(std::int64_t since, const std::string& event,
                                          const std::string& detail_prefix) = 0;
};

// A write transaction keeps this process's other writers out from begin() until it is
// destroyed, after commit() too: a caller may finish what must follow the commit before any
// other write starts (removing the files of the blobs a commit dropped, so no upload of the
// same bytes can publish one in between).
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual UserTable& users() = 0;
  virtual SessionTable& sessions() = 0;
  virtual NodeTable& nodes() = 0;
  virtual ContentTable& content() = 0;
  virtual TrashTable& trash() = 0;
  virtual GrantTable& grants() = 0;
  virtual ChangeTable& changes() = 0;
  virtual AuditTable& audit() = 0;
  virtual LinkTable& links() = 0;
  // Sessions and links count as live at `now` (the service clock, as every expiry check).
  virtual Result<StoreStats> stats(std::int64_t now) = 0;
  // Small named values of the server itself (e.g. the secret behind fake salts).
  virtual Result<std::optional<std::string>> get_setting(const std::string& name) = 0;
  virtual Status put_setting(const std::string& name, const std::string& value) = 0;

  // Nested undo points: rollback_savepoint() undoes everything since the matching
  // begin_savepoint(); release_savepoint() keeps it.
  virtual Status begin_savepoint() = 0;
  virtual Status rollback_savepoint() = 0;
  virtual Status release_savepoint() = 0;

  virtual Status commit() = 0;
};

enum class TransactionMode { read, write };

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;
  // Waits for a free connection (and, for writes, the write lock) up to the busy timeout.
  virtual Result<std::unique_ptr<Transaction>> begin(TransactionMode mode) = 0;
};

}  // namespace coffer::server::storage
