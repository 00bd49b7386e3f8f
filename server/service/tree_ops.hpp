#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "server/service/caller.hpp"
#include "server/service/outcome.hpp"
#include "server/storage/metadata_store.hpp"

namespace coffer::server::service {

// Steps that several tree operations share, inside the caller's transaction.

// The change kinds of a grant given or changed, and taken away: rows of the grantee's feed
// (owner_id names the grantee), only ever shown to them.
inline constexpr const char* kSharedKind = "shared";
inline constexpr const char* kUnsharedKind = "unshared";

// Appends one change-feed entry for a node of `owner_id`, made by `by`'s session (the feed marks
// it `own` for that session).
Status record_change(storage::Transaction& txn, const Caller& by, std::int64_t owner_id, const std::string& node_id,
                     const std::optional<std::string>& parent_id, const char* kind, std::int64_t now);

// Removes an entry; when it was the node's last, the node goes to the trash, keeping the entry
// so it can be restored. Records entry_removed (and trashed).
Status unlink_entry(storage::Transaction& txn, const Caller& by, const storage::EntryRecord& entry, std::int64_t owner_id,
                    std::int64_t now);

// A node that lost its last entry but gets one again (a hard link or a restore) leaves the trash.
Status leave_trash(storage::Transaction& txn, const storage::NodeRecord& node);

// A folder that entries can be added to: Errc::invalid_argument for any other node,
// Errc::not_found for a folder in the trash.
Status check_folder_open(const storage::NodeRecord& folder);

// Errc::invalid_argument when `folder` is `destination` or one of its ancestors, so moving
// `folder` into `destination` would detach it from the tree.
Status check_no_cycle(storage::Transaction& txn, const std::string& folder, const std::string& destination);

// The 409 answer when an entry name is taken: its details carry the existing entry.
template <class T>
Outcome<T> name_taken(storage::Transaction& txn, const storage::EntryRecord& existing);
protocol::Json existing_entry_details(storage::Transaction& txn, const storage::EntryRecord& existing);

template <class T>
Outcome<T> name_taken(storage::Transaction& txn, const storage::EntryRecord& existing) {
  return Outcome<T>(make_error(Errc::already_exists, "an entry with this name exists"), existing_entry_details(txn, existing));
}

}  // namespace coffer::server::service
