#include <spdlog/spdlog.h>

#include <set>

#include "vfs/entry_codec.hpp"
#include "vfs/vfs.hpp"

// Other devices' changes, as the change feed names them (feed/change_follower.hpp). A feed
// entry only says what to read again: the folder or node is fetched without the tree lock,
// verified exactly as on first use (sealed folder record, entry seals, the guard's revisions),
// then swapped in under the lock, adopting the Node objects the mount already has, and the
// kernel is told exactly what changed once the lock is released.
namespace coffer::vfs {
namespace {

bool same_entry(const Listing& listing, const std::string& name, const ChildEntry& entry) {
  auto it = listing.find(name);
  return it != listing.end() && it->second.node == entry.node;
}

// The kernel's view of `folder_ino` after its listing went from `before` to `after`: a name
// whose node left the folder is deleted, any other changed name is invalidated (a new name may
// be cached as missing), and the folder's own attributes and cached listing are dropped.
void diff_listing(std::uint64_t folder_ino, const Listing& before, const Listing& after, KernelNotices& notices) {
  std::set<const Node*> staying;
  for (const auto& [name, entry] : after) staying.insert(entry.node.get());
  bool changed = false;
  for (const auto& [name, entry] : before) {
    if (same_entry(after, name, entry)) continue;
    changed = true;
    if (entry.node->ino == 0 || staying.contains(entry.node.get())) {
      notices.entries.emplace_back(folder_ino, name);
      continue;
    }
    notices.deletions.push_back(KernelNotices::Deletion{folder_ino, entry.node->ino, name});
    // Its link count changed (the deletion clears it in the kernel; another link may remain).
    notices.inodes.push_back(entry.node->ino);
  }
  for (const auto& [name, entry] : after) {
    if (same_entry(before, name, entry)) continue;
    changed = true;
    notices.entries.emplace_back(folder_ino, name);
  }
  if (changed) notices.inodes.push_back(folder_ino);
}

}  // namespace

std::shared_ptr<Node> Vfs::known_node(const std::string& node_id) const {
  auto it = nodes_.find(node_id);
  return it == nodes_.end() ? nullptr : it->second.lock();
}

// The server's view of the node is older than the mount's until these are sent.
bool Vfs::has_unsent_changes(const Node& node) const {
  return node.last_op_seq > services_.queue.acked_seq() || (node.content && node.content->dirty());
}

Result<Vfs::Refresh> Vfs::refused(Node& node, Error error) {
  {
    std::lock_guard lock(tree_);
    suspect_share(node, error);
  }
  // Gone from the server: the change of the folder it left says so.
  if (error.code == Errc::not_found) return Refresh::done;
  if (error.code != Errc::integrity) return error;
  spdlog::error("refused tampered data: {}", error.message);
  KernelNotices notices;
  {
    std::lock_guard lock(tree_);
    node.broken = error;
    forget_listing(node.id);
    forget_node(node.id);
    if (node.ino != 0) notices.inodes.push_back(node.ino);
  }
  notify(notices);
  return error;
}

Result<Vfs::Refresh> Vfs::refresh_folder(const std::string& folder_id) {
  std::shared_ptr<Node> folder;
  std::uint64_t seen_op = 0;
  {
    std::lock_guard lock(tree_);
    // Its first listing is being read: it may have been read before this change.
    if (listing_loads_.contains(folder_id)) return Refresh::deferred;
    folder = known_node(folder_id);
    if (!folder || !folder->children || folder->broken) {  // nothing in memory; the disk cache forgets it
      forget_listing(folder_id);
      return Refresh::done;
    }
    if (has_unsent_changes(*folder)) return Refresh::deferred;
    seen_op = folder->last_op_seq;
  }
  auto opened = fetch_listing(*folder);
  if (!opened) return refused(*folder, std::move(opened).error());
  KernelNotices notices;
  {
    std::lock_guard lock(tree_);
    if (!folder->children || folder->broken) return Refresh::done;
    // A change made here while the listing was read may not be in it: read again once sent.
    if (folder->last_op_seq != seen_op || has_unsent_changes(*folder)) return Refresh::deferred;
    Listing fresh = adopt_children(*folder, std::move(opened).value());
    if (folder->ino != 0) diff_listing(folder->ino, *folder->children, fresh, notices);
    folder->children = std::move(fresh);
    persist_listing(*folder);
  }
  notify(notices);
  return Refresh::done;
}

Result<Vfs::Refresh> Vfs::refresh_node(const std::string& node_id) {
  std::shared_ptr<Node> node;
  std::uint64_t seen_op = 0;
  {
    std::lock_guard lock(tree_);
    node = known_node(node_id);
    if (!node || node->broken) {
      forget_node(node_id);
      return Refresh::done;
    }
    if (has_unsent_changes(*node)) return Refresh::deferred;
    seen_op = node->last_op_seq;
  }
  auto info = services_.remote.get_node(node_id);
  if (!info) return refused(*node, std::move(info).error());
  Status fresh = services_.guard.check_version(node_id, info->version);
  if (fresh) fresh = services_.guard.check_revision(node_id, info->attributes_revision);
  if (!fresh) return refused(*node, std::move(fresh).error());
  KernelNotices notices;
  Status applied;
  {
    std::lock_guard lock(tree_);
    if (node->last_op_seq != seen_op || has_unsent_changes(*node)) return Refresh::deferred;
    const bool new_version = info->version != node->server_version;
    // Close-to-open: an open file reads the version it opened until its last close, and the
    // next open asks the server (revalidate) rather than wait for this to be asked again.
    if (new_version && node->open_count > 0) {
      node->feed_changed = true;
      return Refresh::deferred;
    }
    if (new_version) node->content.reset();
    node->feed_changed = false;
    applied = apply_node_record(*node, *info);
    if (!applied) {
      spdlog::error("refused tampered data: {}", applied.error().message);
      node->broken = applied.error();
    }
    if (node->ino != 0) notices.inodes.push_back(node->ino);
    persist_node(node_id);
  }
  notify(notices);
  if (!applied) return std::move(applied).error();
  return Refresh::done;
}

void Vfs::on_conflict(const sync::ConflictNotice& notice) {
  KernelNotices notices;
  {
    std::lock_guard lock(tree_);
    if (notice.current) show_server_record(notice, notices);
    if (notice.added) show_kept_entry(notice, notices);
  }
  notify(notices);
}

void Vfs::show_server_record(const sync::ConflictNotice& notice, KernelNotices& notices) {
  auto node = known_node(notice.node_id);
  if (!node || node->broken) return;
  // Newer local changes of the node are still queued (they meet the same conflict), or a
  // handle reads the local content until it is closed.
  if (node->last_op_seq > notice.op_seq || node->open_count > 0 || (node->content && node->content->dirty())) return;
  const remote::NodeInfo& info = *notice.current;
  Status fresh = services_.guard.check_version(info.node_id, info.version);
  if (fresh) fresh = services_.guard.check_revision(info.node_id, info.attributes_revision);
  if (fresh) fresh = apply_node_record(*node, info);
  if (!fresh) {
    spdlog::error("refused tampered data: {}", fresh.error().message);
    node->broken = fresh.error();
  }
  node->content.reset();
  if (node->ino != 0) notices.inodes.push_back(node->ino);
}

void Vfs::show_kept_entry(const sync::ConflictNotice& notice, KernelNotices& notices) {
  const auto& added = *notice.added;
  auto folder = known_node(added.folder_id);
  if (!folder || !folder->children || folder->broken) return;  // its first listing will show it
  auto existing = folder->children->find(added.name);
  // A name this mount gave another node meanwhile stays; the node the conflict was about (a
  // file deleted on the server and recreated under its name) gives way.
  if (existing != folder->children->end() && existing->second.node->id != notice.node_id &&
      existing->second.node->id != added.node.node_id) {
    return;
  }
  auto key = crypto::FernetKey::from_raw(ByteView(added.node_key.data(), added.node_key.size()));
  auto opened = key ? open_node(added.node, std::move(key).value()) : Result<std::shared_ptr<Node>>(key.error());
  if (!opened) {
    spdlog::error("the kept file {} cannot be shown: {}", added.node.node_id, opened.error().message);
    return;
  }
  auto node = adopt(std::move(opened).value());
  if (node->open_count == 0 && node->last_op_seq <= notice.op_seq && !(node->content && node->content->dirty())) {
    node->content.reset();
    (void)apply_node_record(*node, added.node);
  } else {
    node->nlink = added.node.nlink;  // its entries are back; its content waits for the next open
  }
  node->parent_id = folder->id;
  node->name = added.name;
  if (!node->share) node->share = folder->share;
  if (existing != folder->children->end() && existing->second.node->ino != 0) {
    notices.inodes.push_back(existing->second.node->ino);
  }
  (*folder->children)[added.name] = ChildEntry{added.name_tag, node};
  if (folder->ino != 0) {
    notices.entries.emplace_back(folder->ino, added.name);
    notices.inodes.push_back(folder->ino);
  }
}

void Vfs::notify(const KernelNotices& notices) {
  KernelNotifier* notifier = nullptr;
  {
    std::lock_guard lock(tree_);
    notifier = notifier_;
  }
  if (notifier == nullptr) return;
  for (const auto& deletion : notices.deletions) {
    notifier->delete_entry(deletion.parent_ino, deletion.child_ino, deletion.name);
  }
  for (const auto& [folder, name] : notices.entries) notifier->invalidate_entry(folder, name);
  for (auto ino : notices.inodes) notifier->invalidate_inode(ino);
}

}  // namespace coffer::vfs
