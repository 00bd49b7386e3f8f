#pragma once

#include "protocol/auth.hpp"
#include "protocol/content.hpp"
#include "protocol/nodes.hpp"
#include "server/storage/metadata_store.hpp"

namespace coffer::server::service {

// Stored rows as the wire shows them (docs/api.md). Nodes need the owner's name and the entry
// count, so they read from the transaction.
Result<protocol::Node> node_view(storage::Transaction& txn, const storage::NodeRecord& node);
// The same from what the caller knows already (a node it has just created).
protocol::Node node_view(const storage::NodeRecord& node, std::string owner, std::uint64_t nlink);
// The entry with its node; Errc::not_found when the node row is missing.
Result<protocol::Entry> entry_view(storage::Transaction& txn, const storage::EntryRecord& entry);
// The same for an entry of the past: the node's version and size are those it had at `at` (the
// highest kept version committed by then; 0 if none); the rest is the node as it is now.
Result<protocol::Entry> past_entry_view(storage::Transaction& txn, const storage::EntryRecord& entry, std::int64_t at);

protocol::KdfParams kdf_view(const storage::KdfRecord& kdf);
storage::KdfRecord kdf_record(const protocol::KdfParams& kdf);
protocol::SessionInfo session_view(const storage::SessionRecord& session, const std::string& current_session_id);
protocol::VersionSummary version_summary(const storage::VersionRecord& version);

}  // namespace coffer::server::service
