#pragma once

#include <cstdint>
#include <string>

#include "protocol/nodes.hpp"
#include "server/service/caller.hpp"
#include "server/service/outcome.hpp"
#include "server/storage/metadata_store.hpp"

namespace coffer::server::service {

// One move/rename (POST .../entries/{name_tag}/move) inside a transaction: checks write access
// to both folders, refuses cycles and joins of different owners' trees, then applies the mode:
//   noreplace  an existing target is a 409 with the existing entry;
//   replace    the target entry is removed first (its node to the trash if that was its last
//              entry); a folder may only replace an empty folder;
//   exchange   the two entries swap places, each re-keyed by the request.
class MoveOperation {
 public:
  MoveOperation(storage::Transaction& txn, const Caller& caller, std::int64_t now)
      : txn_(txn), caller_(caller), now_(now) {}

  Outcome<protocol::Entry> run(const std::string& parent_id, const std::string& name_tag,
                               const protocol::MoveRequest& request);

 private:
  Status check_destination(const storage::NodeRecord& node, const std::string& destination);
  Status replace_target(const storage::NodeRecord& source, const storage::EntryRecord& target);
  Outcome<protocol::Entry> exchange(const storage::EntryRecord& source, const storage::EntryRecord& target,
                                    const protocol::MoveRequest& request);
  Status place(const storage::EntryRecord& from, const storage::EntryRecord& to, std::int64_t owner_id);

  storage::Transaction& txn_;
  const Caller& caller_;
  std::int64_t now_;
  storage::NodeRecord destination_;
};

}  // namespace coffer::server::service
