#include "feed/pending_refreshes.hpp"

#include <spdlog/spdlog.h>

namespace coffer::feed {
namespace {

bool names_entries(const std::string& kind) {
  return kind == "created" || kind == "entry_added" || kind == "entry_removed" || kind == "moved";
}

bool transient(Errc code) {
  return code == Errc::unavailable || code == Errc::rate_limited || code == Errc::unauthenticated;
}

// Runs `refresh` on each id; keeps those to try again.
template <class Refresh>
void apply_each(std::set<std::string>& ids, Refresh&& refresh) {
  for (auto it = ids.begin(); it != ids.end();) {
    auto outcome = refresh(*it);
    const bool again = outcome ? *outcome == vfs::Vfs::Refresh::deferred : transient(outcome.error().code);
    // Tampering is logged where it is found; anything else is worth a line here.
    if (!outcome && !again && outcome.error().code != Errc::integrity) {
      spdlog::warn("change feed: {} not refreshed: {}", *it, outcome.error().message);
    }
    it = again ? std::next(it) : ids.erase(it);
  }
}

}  // namespace

bool PendingRefreshes::add(const remote::Change& change) {
  if (change.own) return false;
  if (names_entries(change.kind)) return change.parent_id && folders_.insert(*change.parent_id).second;
  if (change.kind == "attributes" || change.kind == "version") return nodes_.insert(change.node_id).second;
  return false;
}

void PendingRefreshes::apply(vfs::Vfs& vfs) {
  apply_each(folders_, [&](const std::string& id) { return vfs.refresh_folder(id); });
  apply_each(nodes_, [&](const std::string& id) { return vfs.refresh_node(id); });
}

}  // namespace coffer::feed
