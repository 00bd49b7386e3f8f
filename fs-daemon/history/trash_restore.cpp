#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "crypto/entry_seal.hpp"
#include "history/history.hpp"
#include "history/history_names.hpp"
#include "protocol/formats.hpp"
#include "sync/folder_listing.hpp"
#include "vfs/cloud_path.hpp"
#include "vfs/entry_codec.hpp"

// Restoring from the trash: the item is linked back (its old entry reused when it goes back
// under its old name, else sealed anew), and a folder's trashed descendants after it, each
// under its old entry in the restored folder, in one batch with the records of every folder
// whose entries change (docs/api.md: restore = link). Nothing is overwritten: a taken name gets
// " (restored)", " (restored 2)", ...
namespace coffer::history {
namespace {

constexpr std::size_t kOpsPerBatch = 4000;  // below the batch route's 10,000, so records stay small

std::string normalized(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  if (path.empty() || path.front() != '/') path.insert(path.begin(), '/');
  return path;
}

// A folder whose entry set the restore changes: its revision and commitment as they advance.
struct FolderState {
  crypto::FernetKey key;
  std::uint64_t revision = 0;
  crypto::FolderCommitment commitment;
};

struct Link {
  remote::AddLink op;
};

class RestorePlan {
 public:
  void add_folder(const std::string& id, FolderState state) { folders_.emplace(id, std::move(state)); }

  Status link(const std::string& node_id, remote::SealedName entry) {
    auto tag = crypto::FolderCommitment::tag_from_hex(entry.name_tag);
    if (!tag) return std::move(tag).error();
    auto mac = crypto::token_mac(entry.wrapped_key);
    if (!mac) return std::move(mac).error();
    links_.push_back(Link{remote::AddLink{node_id, std::move(entry)}});
    macs_.push_back({*tag, *mac});
    return {};
  }

  // Sends the links in order, a batch at a time, each with the next record of every folder
  // it changes. The folders' new revisions, for the guard.
  Result<std::vector<std::pair<std::string, std::uint64_t>>> send(remote::RemoteApi& remote) {
    for (std::size_t start = 0; start < links_.size(); start += kOpsPerBatch) {
      std::size_t end = std::min(links_.size(), start + kOpsPerBatch);
      std::vector<remote::BatchOp> ops;
      std::vector<std::string> touched;
      for (std::size_t i = start; i < end; ++i) {
        const std::string& folder_id = links_[i].op.entry.parent_id;
        folders_.at(folder_id).commitment.set(macs_[i].first, macs_[i].second);
        if (std::find(touched.begin(), touched.end(), folder_id) == touched.end()) touched.push_back(folder_id);
        ops.emplace_back(links_[i].op);
      }
      std::vector<remote::FolderUpdate> updates;
      for (const auto& id : touched) {
        FolderState& folder = folders_.at(id);
        updates.push_back({id, folder.revision, folder.revision + 1,
                           sync::seal_folder_state(folder.key, id, folder.revision + 1, folder.commitment)});
        ++folder.revision;
      }
      auto results = remote.batch(ops, updates);
      if (!results) return make_error(results.error().code, "the restore was refused: " + results.error().message);
      for (const auto& result : *results) {
        if (!result) return make_error(result.error().code, "the restore was refused: " + result.error().message);
      }
    }
    std::vector<std::pair<std::string, std::uint64_t>> revisions;
    for (const auto& [id, folder] : folders_) revisions.emplace_back(id, folder.revision);
    return revisions;
  }

  std::size_t size() const { return links_.size(); }
  std::vector<std::string> node_ids() const {
    std::vector<std::string> ids;
    for (const auto& link : links_) ids.push_back(link.op.node_id);
    return ids;
  }

 private:
  std::map<std::string, FolderState> folders_;
  std::vector<Link> links_;
  std::vector<std::pair<crypto::FolderCommitment::Tag, crypto::Sha256Digest>> macs_;
};

Result<std::size_t> find_item(const std::vector<TrashEntry>& entries, const std::string& what) {
  std::optional<std::size_t> found;
  const std::string path = normalized(what);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const TrashEntry& entry = entries[i];
    bool match = protocol::is_hex(what, protocol::kNodeIdLength) ? entry.item.node.node_id == what : !entry.path.empty() && entry.path == path;
    if (match && (!found || entry.item.trashed_at > entries[*found].item.trashed_at)) found = i;
  }
  if (!found) return make_error(Errc::not_found, "nothing in the trash is " + what + " (see `coffer trash list`)");
  if (!entries[*found].key) return make_error(Errc::integrity, what + ": " + entries[*found].error);
  return *found;
}

// The entry of `node` as `name` in `folder`: the old one when nothing changed, else sealed anew.
remote::SealedName entry_for(const TrashEntry& entry, const std::string& folder_id, const crypto::FernetKey& folder_key,
                             const std::string& name) {
  if (entry.item.entry.parent_id == folder_id && entry.name == name) return entry.item.entry;
  vfs::Node folder(folder_id, remote::NodeType::folder, folder_key);
  return vfs::seal_entry(folder, name, entry.item.node.node_id, *entry.key);
}

}  // namespace

Result<TrashRestore> History::restore_from_trash(const std::string& what, const std::optional<std::string>& to) {
  auto entries = trash();
  if (!entries) return std::move(entries).error();
  auto index = find_item(*entries, what);
  if (!index) return std::move(index).error();
  const TrashEntry& top = (*entries)[*index];

  // Where it goes: `to` (a folder to go into, or a new name in one), else where it was.
  Result<vfs::NodeRef> folder = make_error(Errc::not_found, "");
  std::string name = top.name;
  if (to) {
    std::string target = normalized(*to);
    auto existing = services_.vfs.resolve_path(target);
    if (existing && existing->type == remote::NodeType::folder) {
      folder = existing;
    } else if (existing || existing.error().code == Errc::not_found) {
      auto [parent, last] = vfs::cloud_parent_and_name(target);
      folder = services_.vfs.resolve_path(parent);
      name = std::move(last);
    } else {
      return std::move(existing).error();
    }
  } else if (top.item.parent_in_trash) {
    return make_error(Errc::not_found, top.path + ": its folder is in the trash too; restore that folder, or give --to");
  } else {
    folder = services_.vfs.find_folder(top.item.entry.parent_id);
  }
  if (!folder) return std::move(folder).error();
  if (folder->type != remote::NodeType::folder) return make_error(Errc::not_a_directory, "the target is not a folder");

  // The folder's own changes reach the server first, so its listing there is the mount's.
  if (folder->last_op_seq > services_.queue.acked_seq()) {
    COFFER_TRY_STATUS(services_.queue.wait_for(folder->last_op_seq, std::chrono::steady_clock::now() + services_.settle_timeout));
  }
  auto names = services_.vfs.folder_names(folder->id);
  if (!names) return std::move(names).error();
  std::set<std::string> taken(names->begin(), names->end());
  name = free_restored_name(name, [&](const std::string& candidate) { return taken.contains(candidate); });

  auto listed = sync::list_verified_folder(services_.background, services_.guard, folder->id, folder->key);
  if (!listed) return std::move(listed).error();
  RestorePlan plan;
  plan.add_folder(folder->id, FolderState{folder->key, listed->revision, std::move(listed->commitment)});
  COFFER_TRY_STATUS(plan.link(top.item.node.node_id, entry_for(top, folder->id, folder->key, name)));

  // Every trashed descendant, folder by folder; a trashed folder was empty when it was trashed
  // (the server removes only empty folders), so its entries are the ones restored into it.
  std::vector<std::string> restored_folders;
  std::deque<std::size_t> pending;
  if (top.item.node.type == remote::NodeType::folder) pending.push_back(*index);
  while (!pending.empty()) {
    const TrashEntry& parent = (*entries)[pending.front()];
    pending.pop_front();
    const std::string& parent_id = parent.item.node.node_id;
    restored_folders.push_back(parent_id);
    plan.add_folder(parent_id, FolderState{*parent.key, parent.item.node.folder_revision, {}});
    std::vector<std::size_t> children;
    for (std::size_t i = 0; i < entries->size(); ++i) {
      const TrashEntry& child = (*entries)[i];
      if (child.item.entry.parent_id == parent_id && child.key) children.push_back(i);
    }
    // The most recently trashed keeps a name that several had.
    std::sort(children.begin(), children.end(),
              [&](std::size_t a, std::size_t b) { return (*entries)[a].item.trashed_at > (*entries)[b].item.trashed_at; });
    std::set<std::string> used;
    for (std::size_t i : children) {
      const TrashEntry& child = (*entries)[i];
      std::string child_name = free_restored_name(child.name, [&](const std::string& c) { return used.contains(c); });
      used.insert(child_name);
      COFFER_TRY_STATUS(plan.link(child.item.node.node_id, entry_for(child, parent_id, *parent.key, child_name)));
      if (child.item.node.type == remote::NodeType::folder) pending.push_back(i);
    }
  }

  auto revisions = plan.send(services_.background);
  if (!revisions) return std::move(revisions).error();
  services_.guard.saw_folder_revisions(*revisions);
  // The change feed skips this session's own changes: the mount reads again what it may hold
  // of them (a node it still knows from before the trash has the record of then), then the
  // target folder and every restored folder.
  for (const auto& id : plan.node_ids()) (void)services_.vfs.refresh_node(id);
  if (auto refreshed = services_.vfs.refresh_folder(folder->id); !refreshed) return std::move(refreshed).error();
  for (const auto& id : restored_folders) (void)services_.vfs.refresh_folder(id);
  std::string folder_path = services_.vfs.path_of(folder->id);
  return TrashRestore{(folder_path == "/" ? "" : folder_path) + "/" + name, plan.size()};
}

}  // namespace coffer::history
