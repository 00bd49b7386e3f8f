#include "server/storage/sqlite/tables.hpp"

namespace coffer::server::storage::sqlite {

NodeRecord read_node(const Query& row) {
  NodeRecord node;
  node.id = row.text(0);
  node.owner_id = row.int64(1);
  node.type = static_cast<NodeType>(row.int64(2));
  node.attributes = row.text(3);
  node.attributes_revision = row.uint64(4);
  node.version = row.uint64(5);
  node.size = row.uint64(6);
  node.created_at = row.int64(7);
  node.trashed_at = row.optional_int64(8);
  node.folder_revision = row.uint64(9);
  node.folder_record = row.text(10);
  return node;
}

namespace {

#define COFFER_ENTRY_COLUMNS "parent_id, name_tag, node_id, name, wrapped_key, created_at"

EntryRecord read_entry(const Query& row) {
  return EntryRecord{row.text(0), row.text(1), row.text(2), row.text(3), row.text(4), row.int64(5)};
}

Result<std::vector<EntryRecord>> all_entries(Query& query) {
  std::vector<EntryRecord> entries;
  while (query.next()) entries.push_back(read_entry(query));
  COFFER_TRY_STATUS(query.status());
  return entries;
}

}  // namespace

Status SqliteNodes::insert(const NodeRecord& node) {
  COFFER_QUERY(query, db_,
               "INSERT INTO nodes (" COFFER_NODE_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  query.bind(1, node.id).bind(2, node.owner_id).bind(3, static_cast<int>(node.type)).bind(4, node.attributes);
  query.bind(5, node.attributes_revision).bind(6, node.version).bind(7, node.size).bind(8, node.created_at);
  query.bind(9, node.trashed_at).bind(10, node.folder_revision).bind(11, node.folder_record);
  return query.run();
}

Result<std::optional<NodeRecord>> SqliteNodes::find(const std::string& id) {
  COFFER_QUERY(query, db_, "SELECT " COFFER_NODE_COLUMNS " FROM nodes WHERE id = ?1");
  query.bind(1, id);
  if (query.next()) return std::optional<NodeRecord>(read_node(query));
  COFFER_TRY_STATUS(query.status());
  return std::optional<NodeRecord>();
}

Status SqliteNodes::set_attributes(const std::string& id, const std::string& attributes, std::uint64_t revision) {
  COFFER_QUERY(query, db_, "UPDATE nodes SET attributes = ?2, attributes_revision = ?3 WHERE id = ?1");
  query.bind(1, id).bind(2, attributes).bind(3, revision);
  return expect_change(db_, query, "no such node");
}

Status SqliteNodes::set_version(const std::string& id, std::uint64_t version, std::uint64_t size) {
  COFFER_QUERY(query, db_, "UPDATE nodes SET version = ?2, size = ?3 WHERE id = ?1");
  query.bind(1, id).bind(2, version).bind(3, size);
  return expect_change(db_, query, "no such node");
}

Status SqliteNodes::set_trashed(const std::string& id, std::optional<std::int64_t> trashed_at) {
  COFFER_QUERY(query, db_, "UPDATE nodes SET trashed_at = ?2 WHERE id = ?1");
  query.bind(1, id).bind(2, trashed_at);
  return expect_change(db_, query, "no such node");
}

Status SqliteNodes::set_folder_record(const std::string& id, std::uint64_t revision, const std::string& record) {
  COFFER_QUERY(query, db_, "UPDATE nodes SET folder_revision = ?2, folder_record = ?3 WHERE id = ?1");
  query.bind(1, id).bind(2, revision).bind(3, record);
  return expect_change(db_, query, "no such node");
}

Status SqliteNodes::insert_entry(const EntryRecord& entry) {
  COFFER_QUERY(query, db_, "INSERT INTO entries (" COFFER_ENTRY_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  query.bind(1, entry.parent_id).bind(2, entry.name_tag).bind(3, entry.node_id).bind(4, entry.name);
  query.bind(5, entry.wrapped_key).bind(6, entry.created_at);
  return query.run();
}

Result<std::optional<EntryRecord>> SqliteNodes::find_entry(const std::string& parent_id, const std::string& name_tag) {
  COFFER_QUERY(query, db_, "SELECT " COFFER_ENTRY_COLUMNS " FROM entries WHERE parent_id = ?1 AND name_tag = ?2");
  query.bind(1, parent_id).bind(2, name_tag);
  if (query.next()) return std::optional<EntryRecord>(read_entry(query));
  COFFER_TRY_STATUS(query.status());
  return std::optional<EntryRecord>();
}

Status SqliteNodes::remove_entry(const std::string& parent_id, const std::string& name_tag) {
  COFFER_QUERY(query, db_, "DELETE FROM entries WHERE parent_id = ?1 AND name_tag = ?2");
  query.bind(1, parent_id).bind(2, name_tag);
  return expect_change(db_, query, "no such entry");
}

Result<std::vector<EntryRecord>> SqliteNodes::entries_of(const std::string& node_id) {
  COFFER_QUERY(query, db_, "SELECT " COFFER_ENTRY_COLUMNS " FROM entries WHERE node_id = ?1 ORDER BY parent_id, name_tag");
  query.bind(1, node_id);
  return all_entries(query);
}

Result<std::uint64_t> SqliteNodes::count_entries_of(const std::string& node_id) {
  COFFER_QUERY(query, db_, "SELECT count(*) FROM entries WHERE node_id = ?1");
  query.bind(1, node_id);
  if (!query.next()) return make_error(Errc::io, "counting entries failed");
  return query.uint64(0);
}

Result<std::vector<EntryRecord>> SqliteNodes::list_children(const std::string& parent_id, const std::string& after,
                                                            std::size_t limit) {
  COFFER_QUERY(query, db_,
               "SELECT " COFFER_ENTRY_COLUMNS " FROM entries WHERE parent_id = ?1 AND name_tag > ?2 "
               "ORDER BY name_tag LIMIT ?3");
  query.bind(1, parent_id).bind(2, after).bind(3, static_cast<std::int64_t>(limit));
  return all_entries(query);
}

Result<bool> SqliteNodes::has_children(const std::string& parent_id) {
  COFFER_QUERY(query, db_, "SELECT 1 FROM entries WHERE parent_id = ?1 LIMIT 1");
  query.bind(1, parent_id);
  const bool found = query.next();
  COFFER_TRY_STATUS(query.status());
  return found;
}

Result<std::vector<EntryRecord>> SqliteNodes::list_children_at(const std::string& parent_id, std::int64_t at,
                                                               const std::string& after, std::size_t limit) {
  COFFER_QUERY(query, db_,
               "SELECT parent_id, name_tag, node_id, name, wrapped_key, added_at FROM entry_history "
               "WHERE parent_id = ?1 AND added_at <= ?2 AND (removed_at IS NULL OR removed_at > ?2) AND name_tag > ?3 "
               "ORDER BY name_tag LIMIT ?4");
  query.bind(1, parent_id).bind(2, at).bind(3, after).bind(4, static_cast<std::int64_t>(limit));
  return all_entries(query);
}

Status SqliteNodes::insert_trash(const TrashRecord& trash) {
  COFFER_QUERY(query, db_,
               "INSERT INTO trash (node_id, trashed_at, parent_id, name_tag, name, wrapped_key) "
               "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  query.bind(1, trash.node_id).bind(2, trash.trashed_at).bind(3, trash.last_entry.parent_id);
  query.bind(4, trash.last_entry.name_tag).bind(5, trash.last_entry.name).bind(6, trash.last_entry.wrapped_key);
  return query.run();
}

Status SqliteNodes::remove_trash(const std::string& node_id) {
  COFFER_QUERY(query, db_, "DELETE FROM trash WHERE node_id = ?1");
  query.bind(1, node_id);
  return expect_change(db_, query, "not in the trash");
}

Result<std::optional<TrashRecord>> SqliteNodes::find_trash(const std::string& node_id) {
  COFFER_QUERY(query, db_, "SELECT node_id, trashed_at, parent_id, name_tag, name, wrapped_key FROM trash WHERE node_id = ?1");
  query.bind(1, node_id);
  if (query.next()) {
    TrashRecord trash{query.text(0), query.int64(1), EntryRecord{query.text(2), query.text(3), query.text(0),
                                                                 query.text(4), query.text(5), query.int64(1)}};
    return std::optional<TrashRecord>(std::move(trash));
  }
  COFFER_TRY_STATUS(query.status());
  return std::optional<TrashRecord>();
}

}  // namespace coffer::server::storage::sqlite
