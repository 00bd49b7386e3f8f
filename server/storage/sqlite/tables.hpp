#pragma once

#include <set>
#include <utility>

#include "server/storage/metadata_store.hpp"
#include "server/storage/sqlite/connection.hpp"

// The SQLite implementation of each table interface; one file per table. Each works on the
// connection of the transaction that owns it.

namespace coffer::server::storage::sqlite {

class SqliteUsers final : public UserTable {
 public:
  explicit SqliteUsers(Connection& db) : db_(db) {}
  Result<std::optional<UserRecord>> find_by_name(const std::string& name) override;
  Result<std::optional<UserRecord>> find_by_id(std::int64_t id) override;
  Result<std::int64_t> insert(const UserRecord& user) override;
  Status update_credentials(std::int64_t id, const KdfRecord& kdf, const std::string& auth_verifier,
                            const std::string& key_bundle) override;
  Status set_disabled(std::int64_t id, bool disabled) override;
  Status set_quota(std::int64_t id, std::optional<std::uint64_t> quota) override;
  Result<std::vector<std::string>> remove(std::int64_t id) override;
  Result<std::uint64_t> counted_usage(std::int64_t id) override;
  Result<std::vector<UserRecord>> list() override;
  Status insert_invite(const InviteRecord& invite) override;
  Result<std::optional<InviteRecord>> find_invite(const std::string& code_hash) override;
  Result<std::optional<InviteRecord>> find_invite_for(const std::string& user_name) override;
  Status remove_invite(const std::string& code_hash) override;
  Result<std::vector<InviteRecord>> list_invites() override;

 private:
  Connection& db_;
};

class SqliteSessions final : public SessionTable {
 public:
  explicit SqliteSessions(Connection& db) : db_(db) {}
  Status insert(const SessionRecord& session) override;
  Result<std::optional<SessionRecord>> find(const std::string& id) override;
  Result<std::optional<SessionRecord>> find_by_token_hash(const std::string& token_hash) override;
  Status touch(const std::string& id, std::int64_t now) override;
  Status revoke(const std::string& id, std::int64_t now) override;
  Result<std::uint64_t> revoke_all(std::int64_t user_id, const std::optional<std::string>& keep,
                                   std::int64_t now) override;
  Result<std::vector<SessionRecord>> list_live(std::optional<std::int64_t> user_id, std::int64_t now) override;

 private:
  Connection& db_;
};

class SqliteNodes final : public NodeTable {
 public:
  explicit SqliteNodes(Connection& db) : db_(db) {}
  Status insert(const NodeRecord& node) override;
  Result<std::optional<NodeRecord>> find(const std::string& id) override;
  Status set_attributes(const std::string& id, const std::string& attributes, std::uint64_t revision) override;
  Status set_version(const std::string& id, std::uint64_t version, std::uint64_t size) override;
  Status set_trashed(const std::string& id, std::optional<std::int64_t> trashed_at) override;
  Status set_folder_record(const std::string& id, std::uint64_t revision, const std::string& record) override;
  Status insert_entry(const EntryRecord& entry) override;
  Result<std::optional<EntryRecord>> find_entry(const std::string& parent_id, const std::string& name_tag) override;
  Status remove_entry(const std::string& parent_id, const std::string& name_tag) override;
  Result<std::vector<EntryRecord>> entries_of(const std::string& node_id) override;
  Result<std::uint64_t> count_entries_of(const std::string& node_id) override;
  Result<std::vector<EntryRecord>> list_children(const std::string& parent_id, const std::string& after,
                                                 std::size_t limit) override;
  Result<bool> has_children(const std::string& parent_id) override;
  Result<std::vector<EntryRecord>> list_children_at(const std::string& parent_id, std::int64_t at,
                                                    const std::string& after, std::size_t limit) override;
  Status insert_trash(const TrashRecord& trash) override;
  Status remove_trash(const std::string& node_id) override;
  Result<std::optional<TrashRecord>> find_trash(const std::string& node_id) override;

 private:
  Connection& db_;
};

class SqliteContent final : public ContentTable {
 public:
  explicit SqliteContent(Connection& db) : db_(db) {}
  Status insert_version(const VersionRecord& version, const std::vector<std::string>& chunks) override;
  Result<std::optional<VersionRecord>> find_version(const std::string& node_id, std::uint64_t version) override;
  Result<std::vector<VersionRecord>> list_versions(const std::string& node_id) override;
  Result<std::vector<std::string>> version_chunks(const std::string& node_id, std::uint64_t version) override;
  Result<std::optional<VersionAt>> version_at(const std::string& node_id, std::int64_t at) override;
  Result<bool> insert_blob(const std::string& blob_id, std::uint64_t size, std::int64_t now) override;
  Result<std::optional<std::uint64_t>> blob_size(const std::string& blob_id) override;
  Result<bool> hold_blob(std::int64_t user_id, const std::string& blob_id) override;
  Result<bool> holds_blob(std::int64_t user_id, const std::string& blob_id) override;
  Result<std::vector<std::string>> nodes_referencing(const std::string& blob_id, std::size_t limit) override;
  Result<std::vector<std::string>> nodes_currently_referencing(const std::string& blob_id, std::size_t limit) override;
  Result<UsageSplit> usage_split(std::int64_t user_id) override;

 private:
  Connection& db_;
};

class SqliteTrash final : public TrashTable {
 public:
  explicit SqliteTrash(Connection& db) : db_(db) {}
  Result<std::vector<TrashItem>> list(std::int64_t user_id, const std::string& after, std::size_t limit) override;
  Result<std::vector<std::string>> trashed_before(std::optional<std::int64_t> owner_id,
                                                  std::optional<std::int64_t> before, std::size_t limit) override;
  Result<PurgeResult> purge(const std::vector<std::string>& node_ids) override;

 private:
  Connection& db_;
};

class SqliteGrants final : public GrantTable {
 public:
  explicit SqliteGrants(Connection& db) : db_(db) {}
  Result<bool> upsert(const GrantRecord& grant) override;
  Result<std::optional<GrantRecord>> find(const std::string& node_id, std::int64_t grantee_id) override;
  Status remove(const std::string& node_id, std::int64_t grantee_id) override;
  Result<bool> has_any(std::int64_t grantee_id) override;
  Result<std::vector<GrantListing>> list_outgoing(std::int64_t user_id, std::size_t limit) override;
  Result<std::vector<GrantListing>> list_incoming(std::int64_t user_id, std::size_t limit) override;
  Result<std::vector<GrantListing>> list_involving(std::optional<std::int64_t> user_id, std::size_t limit) override;

 private:
  Connection& db_;
};

class SqliteChanges final : public ChangeTable {
 public:
  explicit SqliteChanges(Connection& db) : db_(db) {}
  Result<std::uint64_t> append(const ChangeRecord& change) override;
  Result<std::vector<ChangeRecord>> list_after(std::uint64_t cursor, std::size_t limit) override;
  Result<std::vector<ChangeRecord>> list_after_for(std::uint64_t cursor, std::int64_t user_id,
                                                   std::size_t limit) override;
  Result<std::uint64_t> latest_cursor() override;

 private:
  Connection& db_;
};

class SqliteAudit final : public AuditTable {
 public:
  explicit SqliteAudit(Connection& db) : db_(db) {}
  Status append(const AuditRecord& record) override;
  Result<std::vector<AuditRecord>> list_since(std::int64_t since, std::size_t limit) override;
  Result<std::size_t> count_since(std::int64_t since, const std::string& event,
                                  const std::string& detail_prefix) override;

 private:
  Connection& db_;
};

class SqliteLinks final : public LinkTable {
 public:
  explicit SqliteLinks(Connection& db) : db_(db) {}
  Status insert(const LinkRecord& link) override;
  Result<std::optional<LinkRecord>> find(const std::string& id) override;
  Status remove(const std::string& id) override;
  Result<std::vector<LinkRecord>> list_by_creator(std::int64_t creator_id, std::size_t limit) override;
  Result<std::uint64_t> count_live(std::int64_t creator_id, std::int64_t now) override;
  Result<std::uint64_t> count_all(std::int64_t creator_id) override;
  Status remove_expired_before(std::int64_t creator_id, std::int64_t cutoff) override;
  Result<bool> count_download(const std::string& id, std::int64_t now) override;
  Status insert_token(const LinkTokenRecord& token) override;
  Result<std::optional<LinkTokenRecord>> find_token(const std::string& token_hash) override;
  Status keep_newest_tokens(const std::string& link_id, std::size_t keep) override;
  Result<std::uint64_t> remove_expired_tokens(std::int64_t now) override;

 private:
  Connection& db_;
};

// The columns of a node row, in the order read_node reads them from the first column on.
#define COFFER_NODE_COLUMNS \
  "id, owner_id, type, attributes, attributes_revision, version, size, created_at, trashed_at, folder_revision, " \
  "folder_record"
NodeRecord read_node(const Query& row);

// Deletes one version with its chunk list (the usage trigger gives the owner its bytes back),
// adding the blobs it listed to `listed`.
Status remove_version(Connection& db, const std::string& node_id, std::uint64_t version, std::set<std::string>& listed);
// Of `listed`, the blobs no version lists any more: how many, and their bytes.
Result<std::pair<std::uint64_t, std::uint64_t>> unreferenced_blobs(Connection& db, const std::set<std::string>& listed);

// Runs a statement that changes rows; Errc::not_found when it changed none.
Status expect_change(Connection& db, Query& query, const char* what);

}  // namespace coffer::server::storage::sqlite
