#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "remote/types.hpp"
#include "util/result.hpp"
#include "vfs/node.hpp"

namespace coffer::vfs {

// A directory entry as the server stores it: the name encrypted and tagged under the folder's
// key, the node's key sealed under it together with the folder, the node and the tag.
remote::SealedName seal_entry(const Node& folder, std::string_view name, const std::string& node_id,
                              const crypto::FernetKey& node_key);

struct OpenedEntry {
  std::string name;
  std::shared_ptr<Node> node;  // a fresh Node built from the entry
};

// Decrypts an entry read from the server and builds its node (attributes opened and checked
// against the node id). Any failure is Errc::integrity: the server's data was altered. When
// the name verifies but the rest does not (the entry was swapped, moved or re-pointed), the
// result still names the entry, with a node that answers every access with the error.
Result<OpenedEntry> open_entry(const Node& folder, const remote::EntryInfo& entry);

// Builds a node from its server record under a known key (the root).
Result<std::shared_ptr<Node>> open_node(const remote::NodeInfo& info, crypto::FernetKey key);

// Refreshes a node's attributes from a newer record of the server.
// The attributes a record of `node` seals: its own, and the stored byte count of its latest
// commit (sync/record_meta.hpp), so a listing gives st_blocks without a manifest.
crypto::Attributes attributes_to_record(const Node& node);

Status apply_node_record(Node& node, const remote::NodeInfo& info);

}  // namespace coffer::vfs
