#include "server/storage/sqlite/tables.hpp"


// The trash listed and purged (docs/server.md, "Trash"). Trash rows themselves are written by
// SqliteNodes, as entries are removed and put back.

namespace coffer::server::storage::sqlite {
namespace {

// The node and the nodes in the trash below it (their trash rows name it, or one of them, as
// their folder), with their owners.
Result<std::vector<PurgedNode>> trashed_tree(Connection& db, const std::string& node_id) {
  COFFER_QUERY(query, db,
               "WITH RECURSIVE tree(id) AS (SELECT node_id FROM trash WHERE node_id = ?1 "
               "UNION SELECT t.node_id FROM trash t JOIN tree ON t.parent_id = tree.id) "
               "SELECT tree.id, n.owner_id FROM tree JOIN nodes n ON n.id = tree.id");
  query.bind(1, node_id);
  std::vector<PurgedNode> nodes;
  while (query.next()) nodes.push_back(PurgedNode{query.text(0), query.int64(1)});
  COFFER_TRY_STATUS(query.status());
  return nodes;
}

// Children before parents for the foreign keys, and the node row last: the usage triggers find
// the owner to give the bytes back to through it. Notes the blobs the node's versions listed.
Status remove_node_rows(Connection& db, const std::string& node_id, std::set<std::string>& listed,
                        PurgeResult& result) {
  {
    COFFER_QUERY(query, db, "DELETE FROM version_chunks WHERE node_id = ?1 RETURNING blob_id");
    query.bind(1, node_id);
    while (query.next()) listed.insert(query.text(0));
    COFFER_TRY_STATUS(query.status());
  }
  {
    COFFER_QUERY(query, db, "DELETE FROM versions WHERE node_id = ?1");
    COFFER_TRY_STATUS(query.bind(1, node_id).run());
    result.versions += static_cast<std::uint64_t>(db.changes());
  }
  {
    COFFER_QUERY(query, db, "DELETE FROM grants WHERE node_id = ?1");
    COFFER_TRY_STATUS(query.bind(1, node_id).run());
  }
  {
    COFFER_QUERY(query, db, "DELETE FROM trash WHERE node_id = ?1");
    COFFER_TRY_STATUS(query.bind(1, node_id).run());
  }
  {
    COFFER_QUERY(query, db, "DELETE FROM entry_history WHERE node_id = ?1 OR parent_id = ?1");
    COFFER_TRY_STATUS(query.bind(1, node_id).run());
  }
  COFFER_QUERY(query, db, "DELETE FROM nodes WHERE id = ?1");
  return query.bind(1, node_id).run();
}

}  // namespace

Result<std::vector<TrashItem>> SqliteTrash::list(std::int64_t user_id, const std::string& after, std::size_t limit) {
  COFFER_QUERY(query, db_,
               "SELECT " COFFER_NODE_COLUMNS ", t_at, t_parent, t_tag, t_name, t_key, t_orphan FROM "
               "(SELECT n.*, t.trashed_at AS t_at, t.parent_id AS t_parent, t.name_tag AS t_tag, t.name AS t_name, "
               "t.wrapped_key AS t_key, "
               "NOT EXISTS (SELECT 1 FROM nodes p WHERE p.id = t.parent_id AND p.trashed_at IS NULL) AS t_orphan "
               "FROM trash t JOIN nodes n ON n.id = t.node_id WHERE (n.owner_id = ?1 OR n.owner_id IN "
               "(SELECT s.owner_id FROM grants g JOIN nodes s ON s.id = g.node_id WHERE g.grantee_id = ?1)) "
               "AND t.node_id > ?2 "
               "ORDER BY t.node_id LIMIT ?3) ORDER BY id");
  query.bind(1, user_id).bind(2, after).bind(3, static_cast<std::int64_t>(limit));
  std::vector<TrashItem> items;
  while (query.next()) {
    TrashItem item{read_node(query), {}, query.boolean(16)};
    item.trash.node_id = item.node.id;
    item.trash.trashed_at = query.int64(11);
    item.trash.last_entry =
        EntryRecord{query.text(12), query.text(13), item.node.id, query.text(14), query.text(15), query.int64(11)};
    items.push_back(std::move(item));
  }
  COFFER_TRY_STATUS(query.status());
  return items;
}

Result<std::vector<std::string>> SqliteTrash::trashed_before(std::optional<std::int64_t> owner_id,
                                                             std::optional<std::int64_t> before, std::size_t limit) {
  COFFER_QUERY(query, db_,
               "SELECT t.node_id FROM trash t JOIN nodes n ON n.id = t.node_id "
               "WHERE (?1 IS NULL OR n.owner_id = ?1) AND (?2 IS NULL OR t.trashed_at < ?2) "
               "ORDER BY t.trashed_at, t.node_id LIMIT ?3");
  query.bind(1, owner_id).bind(2, before).bind(3, static_cast<std::int64_t>(limit));
  std::vector<std::string> ids;
  while (query.next()) ids.push_back(query.text(0));
  COFFER_TRY_STATUS(query.status());
  return ids;
}

Result<PurgeResult> SqliteTrash::purge(const std::vector<std::string>& node_ids) {
  PurgeResult result;
  std::set<std::string> listed;
  for (const auto& root : node_ids) {
    auto tree = trashed_tree(db_, root);
    if (!tree) return tree.error();
    for (auto& node : *tree) {
      COFFER_TRY_STATUS(remove_node_rows(db_, node.node_id, listed, result));
      result.nodes.push_back(std::move(node));
    }
  }
  auto unreferenced = unreferenced_blobs(db_, listed);
  if (!unreferenced) return unreferenced.error();
  result.unreferenced_blobs = unreferenced->first;
  result.unreferenced_bytes = unreferenced->second;
  return result;
}

}  // namespace coffer::server::storage::sqlite
