#pragma once

#include <optional>
#include <string>
#include <vector>

#include "remote/remote_api.hpp"
#include "sync/journal.hpp"
#include "sync/journal_op.hpp"

namespace coffer::sync {

// A local edit saved as a new file (docs/client.md, "Conflicts"). The new file has its own
// random key (DESIGN.md section 2: every node has its own; the manifest and attribute record
// are bound to the new node id anyway), so every stored chunk of the edit is decrypted under
// the old key, checked against the MAC the op names, encrypted under the new key and
// uploaded; holes stay holes.
struct NewFile {
  std::string node_id;
  crypto::FernetKey key;
  std::vector<std::optional<crypto::ChunkRef>> chunks;
};

// The edit of `op` re-encrypted for file `node_id`, its chunks uploaded. A chunk's stored bytes
// come from the op's inline data, the journal's blob file, or the server. Transient errors come
// back as they are (the op waits); any other failure is the op's for good.
Result<NewFile> reseal_for_new_file(remote::RemoteApi& remote, const Journal& journal, const CommitOp& op,
                                    std::string node_id);

// The create and commit that make `file` exist at `entry` with the op's content as version 1
// and its attributes (revision 1, naming that version's size).
std::vector<remote::BatchOp> new_file_request(const CommitOp& op, const NewFile& file, remote::SealedName entry);

// What the server holds after new_file_request applied: what the mount shows.
remote::NodeInfo new_file_node(const CommitOp& op, const NewFile& file);

}  // namespace coffer::sync
