#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "server/storage/metadata_store.hpp"

namespace coffer::server::acl {

// The one access decision of the server. Every route that names a node asks it before anything
// else: the node's owner has every right (manage); anyone else needs a grant for them on the
// node or on an ancestor (through any of the node's entries, so a hard link inside a shared
// folder is covered; for a node in the trash, through the folder that last held it) whose role
// includes `need` (read < write < manage).
//
// Errors: Errc::not_found when the node does not exist or the caller may not read it (so others'
// node ids are not confirmed), Errc::permission_denied when they may read but need more.
Result<storage::NodeRecord> check_access(storage::Transaction& txn, std::int64_t user_id, const std::string& node_id,
                                         storage::Access need);

// The trash routes: a node of the user's own that is in the trash. Errc::not_found for anything
// else, whoever owns it, so others' trash is not confirmed either.
Result<storage::NodeRecord> check_own_trash(storage::Transaction& txn, std::int64_t user_id, const std::string& node_id);

// The strongest access the user has to an existing node (manage for its owner), or none.
Result<std::optional<storage::Access>> effective_access(storage::Transaction& txn, std::int64_t user_id,
                                                        const storage::NodeRecord& node);

}  // namespace coffer::server::acl
