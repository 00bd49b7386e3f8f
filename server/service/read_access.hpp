#pragma once

#include <string>

#include "server/service/caller.hpp"
#include "server/storage/metadata_store.hpp"

namespace coffer::server::service {

// The read check of the routes a link token may call (GET of a node, its entries, one entry,
// its current version, and blobs): a session's caller through acl::check_access, a link's
// through acl::check_link_access (the link must still exist and work). Errc::not_found when
// the caller may not read the node.
Result<storage::NodeRecord> check_read(storage::Transaction& txn, const Caller& caller, const std::string& node_id);

// For a link's caller: whether a version of a node the link reaches lists the blob.
Result<bool> link_reads_blob(storage::Transaction& txn, const LinkAccess& link, const std::string& blob_id);

}  // namespace coffer::server::service
