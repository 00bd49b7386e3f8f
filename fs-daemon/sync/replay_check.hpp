#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "remote/remote_api.hpp"
#include "sync/journal_op.hpp"

namespace coffer::sync {

// Which replayed content ops (commits, attribute changes) the server already holds. The daemon
// may stop after the server applied a request and before `acked` was written; sent again, a
// commit would become one more version with the same content. Per node, the latest replayed
// content op of the window that the server's current state equals (the manifest and the
// attribute record it would have sealed, apart from version numbers) settles itself and every
// replayed content op of that node before it. Ops after `replay_through` are never checked:
// they were not in the journal at start, so no earlier run can have sent them. An error is
// transient (the window waits); a node gone or a record that does not open settles nothing.
Result<std::vector<bool>> settled_replays(remote::RemoteApi& remote, std::span<const JournalOp> window,
                                          std::uint64_t replay_through);

}  // namespace coffer::sync
