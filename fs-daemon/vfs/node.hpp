#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "crypto/attributes.hpp"
#include "crypto/fernet.hpp"
#include "remote/types.hpp"
#include "util/error.hpp"

namespace coffer::vfs {

class FileContent;
struct Node;

struct ChildEntry {
  std::string name_tag;
  std::shared_ptr<Node> node;
};

// One grant of another user's node to this user, as the mount shows it under
// `Shared with me/OWNER/NAME` (vfs_shares.cpp). Every node reached through it points at it;
// `revoked` is set, under the tree lock, the moment the grant is found gone, so no change is
// queued for it from then on.
struct ShareScope {
  std::string node_id;  // the granted node: the grant's identity, and the upload queue's tag of its ops
  std::string owner;
  std::string name;     // shown under the owner's folder
  bool writable = false;  // role write or manage
  bool revoked = false;
  std::set<std::string> chunk_ids;  // chunks of its files this mount read or wrote (dropped with it)
};

// A folder's entries by plaintext name: complete once loaded, then kept current by every
// change this mount makes and by other devices' changes (Vfs::refresh_folder, from the change feed).
using Listing = std::map<std::string, ChildEntry>;

// Everything the mount knows about one node (file, folder, symlink or special file). A file with hard links
// is one Node reachable from several listings. All fields are guarded by the Vfs tree mutex;
// a file's bytes live in its FileContent, which has its own lock.
struct Node {
  Node(std::string node_id, remote::NodeType node_type, crypto::FernetKey node_key)
      : id(std::move(node_id)), type(node_type), key(std::move(node_key)) {}

  const std::string id;
  const remote::NodeType type;
  const crypto::FernetKey key;

  crypto::Attributes attrs;           // the reserved content entries stripped (sync/record_meta.hpp)
  std::uint64_t size = 0;             // plaintext size as programs see it
  std::uint64_t committed_size = 0;   // size of the latest commit (queued or on the server)
  std::uint64_t committed_stored = 0; // plaintext bytes in that commit's stored chunks (st_blocks)
  bool size_unknown = false;          // the record predates the current version: read the manifest
  std::uint32_t nlink = 1;
  std::uint64_t server_version = 0;   // content version on the server when last seen
  std::uint64_t last_op_seq = 0;      // the latest journal op about this node
  std::uint64_t ino = 0;              // 0 while the kernel does not know the node
  // The folder of the entry the mount knows the node by ("" for the root; for a file with hard
  // links, one of them) and its name there: a conflicted copy of a file goes beside it.
  std::string parent_id;
  std::string name;
  std::optional<Listing> children;    // folders, once listed
  std::shared_ptr<FileContent> content;  // files, once opened or truncated
  unsigned open_count = 0;
  bool feed_changed = false;          // the change feed named a change not applied yet: open asks the server
  bool committing = false;            // a commit's content is being encrypted (one at a time per node)
  std::optional<Error> broken;        // tampering seen: every access fails with it
  std::shared_ptr<ShareScope> share;  // in a tree another user shared with this one (none: the user's own)
  bool fixed = false;                 // `Shared with me` or an owner's folder in it: made here, read-only
};

}  // namespace coffer::vfs
