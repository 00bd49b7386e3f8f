#pragma once

#include <set>
#include <string>

#include "remote/types.hpp"
#include "util/result.hpp"
#include "vfs/vfs.hpp"

namespace coffer::feed {

// What the feed asked the mount to read again and the mount has not yet done: folders whose
// entries changed and nodes whose record or content did, each once however often the feed names
// it. A change the mount made itself (`own`), a node sent to the trash (its folder's entry
// change says what the mount shows) and a kind this client does not know name nothing.
class PendingRefreshes {
 public:
  // True when the change added something not already pending.
  bool add(const remote::Change& change);
  bool empty() const { return folders_.empty() && nodes_.empty(); }

  // Asks `vfs` for each, folders first (a new node is then known when its own change comes);
  // keeps what was deferred or failed for a reason that may pass (server unreachable).
  void apply(vfs::Vfs& vfs);

 private:
  std::set<std::string> folders_;
  std::set<std::string> nodes_;
};

}  // namespace coffer::feed
