#pragma once

#include <string>

#include "server/storage/metadata_store.hpp"

namespace coffer::server::acl {

// The access decision for share links (docs/server.md, "Links").

// The linked node, when the link still works: the node exists, is not in the trash, is of the
// link's kind, and the link's creator still has the manage role on it. Errc::not_found
// otherwise (a link that stopped working reads like a revoked one).
Result<storage::NodeRecord> check_link_usable(storage::Transaction& txn, const storage::LinkRecord& link);

// A node the link's token may read: the linked node itself, or, for a folder link, a node
// below it through live entries (not through the trash). The walk up from `node_id` visits at
// most kMaxLinkWalk nodes; past that, or when the node is elsewhere, Errc::not_found.
Result<storage::NodeRecord> check_link_access(storage::Transaction& txn, const storage::LinkRecord& link,
                                              const std::string& node_id);

// Whether `node_id` is the linked node or below it (as check_link_access, without reading the
// linked node again).
Result<bool> link_reaches(storage::Transaction& txn, const storage::LinkRecord& link, const std::string& node_id);

inline constexpr std::size_t kMaxLinkWalk = 10000;

}  // namespace coffer::server::acl
