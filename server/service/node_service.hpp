#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "protocol/folders.hpp"
#include "protocol/nodes.hpp"
#include "server/service/caller.hpp"
#include "server/service/context.hpp"
#include "server/service/outcome.hpp"

namespace coffer::server::service {

// Nodes and directory entries (docs/api.md, "Nodes and entries"). Every operation asks
// acl::check_access for each node it names before anything else. The *_in variants work inside
// a transaction the caller owns (the batch route).
class NodeService {
 public:
  explicit NodeService(Context& context) : context_(context) {}

  // The routes that change a folder's entries carry the folders' new sealed records
  // (FolderRecords); the *_in variants leave that to the caller (the batch route).
  using Folders = std::vector<protocol::FolderUpdate>;
  Outcome<protocol::Entry> create(const Caller& caller, const protocol::CreateNodeRequest& request,
                                  const Folders& folders);
  Outcome<protocol::Node> get(const Caller& caller, const std::string& node_id);
  Outcome<protocol::EntryPage> list(const Caller& caller, const std::string& parent_id, const std::string& after,
                                    std::size_t limit);
  // The folder's entries at `at` (UNIX seconds), each with its node's version then (0 if none).
  Outcome<protocol::PastEntryPage> list_at(const Caller& caller, const std::string& parent_id, std::int64_t at,
                                           const std::string& after, std::size_t limit);
  Outcome<protocol::Entry> get_entry(const Caller& caller, const std::string& parent_id, const std::string& name_tag);
  Outcome<protocol::Entry> link(const Caller& caller, const std::string& node_id, const protocol::LinkRequest& request,
                                const Folders& folders);
  Outcome<protocol::Entry> move(const Caller& caller, const std::string& parent_id, const std::string& name_tag,
                                const protocol::MoveRequest& request, const Folders& folders);
  Outcome<Done> remove(const Caller& caller, const std::string& parent_id, const std::string& name_tag,
                       const Folders& folders);
  Outcome<protocol::Node> set_attributes(const Caller& caller, const std::string& node_id,
                                         const protocol::SetAttributesRequest& request);

  Outcome<protocol::Entry> create_in(storage::Transaction& txn, const Caller& caller,
                                     const protocol::CreateNodeRequest& request);
  // `expected_version`: refused (409 conflict) when the entry's node has another content version.
  Outcome<Done> remove_in(storage::Transaction& txn, const Caller& caller, const std::string& parent_id,
                          const std::string& name_tag, std::optional<std::uint64_t> expected_version = std::nullopt);
  Outcome<protocol::Entry> link_in(storage::Transaction& txn, const Caller& caller, const std::string& node_id,
                                   const protocol::LinkRequest& request);
  Outcome<protocol::Entry> move_in(storage::Transaction& txn, const Caller& caller, const std::string& parent_id,
                                   const std::string& name_tag, const protocol::MoveRequest& request);
  Outcome<protocol::Node> set_attributes_in(storage::Transaction& txn, const Caller& caller, const std::string& node_id,
                                            const protocol::SetAttributesRequest& request);

 private:
  Context& context_;
};

}  // namespace coffer::server::service
