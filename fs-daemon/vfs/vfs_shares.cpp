#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <set>

#include "sync/suffixed_name.hpp"
#include "vfs/entry_codec.hpp"
#include "vfs/vfs.hpp"

// "Shared with me" (docs/client.md): the folders the mount makes at its root for other users'
// grants, and the rules of the shared trees below them. A shared node is the owner's real node,
// opened with the key from the grant; everything below it is listed, read, written and queued
// exactly as the user's own tree is, each node pointing at its grant (Node::share), which says
// whether it may change and tags its ops in the upload queue, so a revocation finds them all.
namespace coffer::vfs {
namespace {

constexpr const char* kSharedFolderId = "shared-with-me";
constexpr std::uint32_t kFixedFolderMode = S_IFDIR | 0555;

std::string share_label(const ShareScope& scope) { return scope.owner + "/" + scope.name; }

bool writable_role(remote::ShareRole role) { return role != remote::ShareRole::read; }

bool same_key(const crypto::FernetKey& a, const crypto::FernetKey& b) {
  return std::ranges::equal(a.raw(), b.raw());
}

// A grant shown as "NAME (2)" takes its own name back once the grant that held it is gone:
// `coffer share rotate` grants the new copy before it revokes the old one.
void settle_names(Node& shared_root, const std::map<std::string, std::shared_ptr<ShareScope>>& shares,
                  const std::map<std::string, std::string>& granted_names, KernelNotices& notices) {
  for (const auto& [id, scope] : shares) {
    auto granted = granted_names.find(id);
    auto owner = shared_root.children->find(scope->owner);
    if (granted == granted_names.end() || granted->second == scope->name || owner == shared_root.children->end()) continue;
    Node& folder = *owner->second.node;
    if (folder.children->contains(granted->second)) continue;
    auto entry = folder.children->extract(scope->name);
    if (entry.empty()) continue;
    if (folder.ino != 0) {
      notices.entries.emplace_back(folder.ino, scope->name);
      notices.entries.emplace_back(folder.ino, granted->second);
      notices.inodes.push_back(folder.ino);
    }
    entry.key() = granted->second;
    entry.mapped().node->name = granted->second;
    folder.children->insert(std::move(entry));
    scope->name = granted->second;
  }
}

bool suspicious(Errc code) { return code == Errc::not_found || code == Errc::permission_denied; }

}  // namespace

bool Vfs::is_shared_name(const Node& folder, const std::string& name) const {
  return shared_root_ && &folder == root_.get() && name == kSharedFolderName;
}

// What may change: nothing the mount made itself, nothing of a revoked or read-only grant. The
// server would refuse the last with 403; refusing here keeps the op out of the journal.
Status Vfs::check_changeable(const Node& node) const {
  if (node.fixed) return make_error(Errc::permission_denied, std::string(kSharedFolderName) + " is made by the mount and read-only");
  if (!node.share) return {};
  if (node.share->revoked) return make_error(Errc::permission_denied, "the share " + share_label(*node.share) + " was revoked");
  if (!node.share->writable) return make_error(Errc::permission_denied, "the share " + share_label(*node.share) + " is read-only");
  return {};
}

// An entry joins only the tree its folder is in: the user's own, or one grant's. The server
// refuses entries across owners too (409 different_owners), and across two grants of one owner
// the grantee's rights may differ; EXDEV makes `mv` copy instead.
Status Vfs::check_same_tree(const Node& a, const Node& b) const {
  if (a.share == b.share) return {};
  return make_error(Errc::cross_device, "a rename or link between a share and another tree");
}

void Vfs::suspect_share(const Node& node, const Error& error) const {
  if (!node.share || !suspicious(error.code) || !share_listener_) return;
  spdlog::info("share {}: the server answers \"{}\"; the list of shares is read again", share_label(*node.share),
               error.message);
  share_listener_();
}

void Vfs::note_chunks(const Node& node, const ChunkList& chunks) const {
  if (!node.share) return;
  for (const auto& chunk : chunks) {
    if (chunk) node.share->chunk_ids.insert(chunk->id.hex());
  }
}

std::shared_ptr<Node> Vfs::fixed_folder(const std::string& id, const Node& parent, const std::string& name) {
  auto folder = std::make_shared<Node>(id, remote::NodeType::folder, crypto::FernetKey::generate());
  folder->fixed = true;
  folder->attrs.mode = kFixedFolderMode;
  folder->attrs.uid = root_->attrs.uid;
  folder->attrs.gid = root_->attrs.gid;
  folder->attrs.atime = folder->attrs.mtime = folder->attrs.ctime = now_timestamp();
  folder->children.emplace();
  folder->parent_id = parent.id;
  folder->name = name;
  nodes_[id] = folder;
  return folder;
}

void Vfs::enable_shares() {
  std::lock_guard lock(tree_);
  if (!shared_root_) shared_root_ = fixed_folder(kSharedFolderId, *root_, kSharedFolderName);
}

std::size_t Vfs::share_count() const {
  std::lock_guard lock(tree_);
  return shares_.size();
}

void Vfs::apply_shares(std::vector<sharing::IncomingShare> listed) {
  KernelNotices notices;
  std::vector<std::string> chunks;
  {
    std::lock_guard lock(tree_);
    if (!shared_root_) return;
    const bool showed = shows_shares();
    std::map<std::string, const sharing::IncomingShare*> by_id;
    for (const auto& share : listed) by_id[share.node_id] = &share;
    for (auto it = shares_.begin(); it != shares_.end();) {
      auto now = by_id.find(it->first);
      auto shown = known_node(it->first);
      // Another key for the same node opens nothing the old one did: the grant starts over.
      if (now != by_id.end() && shown && same_key(shown->key, now->second->key)) {
        it->second->writable = writable_role(now->second->role);
        ++it;
        continue;
      }
      revoke_share(it->second, notices, chunks);
      it = shares_.erase(it);
    }
    std::map<std::string, std::string> granted_names;
    for (auto& share : listed) {
      granted_names[share.node_id] = share.name;
      if (!shares_.contains(share.node_id)) add_share(std::move(share), notices);
    }
    settle_names(*shared_root_, shares_, granted_names, notices);
    if (showed != shows_shares()) {  // the root lists it while it holds a share
      notices.entries.emplace_back(kRootIno, kSharedFolderName);
      notices.inodes.push_back(kRootIno);
    }
  }
  notify(notices);
  for (const auto& id : chunks) services_.content.reader.forget(id);
}

// Under the owner's folder, made when the owner's first grant arrives; a name the folder holds
// already gets " (2)", " (3)", ... before its extension.
void Vfs::add_share(sharing::IncomingShare share, KernelNotices& notices) {
  auto opened = open_node(share.node, share.key);
  Status fresh = opened ? services_.guard.check_revision(share.node_id, share.node.attributes_revision)
                        : Status(opened.error());
  if (fresh) fresh = services_.guard.check_version(share.node_id, share.node.version);
  if (!fresh) {
    spdlog::error("refused tampered data: the share {} of {}: {}", share.node_id, share.owner, fresh.error().message);
    return;
  }
  auto owner_it = shared_root_->children->find(share.owner);
  std::shared_ptr<Node> owner;
  if (owner_it != shared_root_->children->end()) {
    owner = owner_it->second.node;
  } else {
    owner = fixed_folder(std::string(kSharedFolderId) + "/" + share.owner, *shared_root_, share.owner);
    (*shared_root_->children)[share.owner] = ChildEntry{"", owner};
    if (shared_root_->ino != 0) {
      notices.entries.emplace_back(shared_root_->ino, share.owner);
      notices.inodes.push_back(shared_root_->ino);
    }
  }
  std::string name = share.name;
  for (unsigned n = 2; owner->children->contains(name); ++n) name = sync::with_suffix(share.name, " (" + std::to_string(n) + ")");
  auto scope = std::make_shared<ShareScope>();
  scope->node_id = share.node_id;
  scope->owner = share.owner;
  scope->name = name;
  scope->writable = writable_role(share.role);
  auto node = adopt(std::move(opened).value());
  if (!node->share) node->share = scope;
  node->parent_id = owner->id;
  node->name = name;
  (*owner->children)[name] = ChildEntry{"", node};
  shares_[share.node_id] = scope;
  if (owner->ino != 0) {
    notices.entries.emplace_back(owner->ino, name);
    notices.inodes.push_back(owner->ino);
  }
  spdlog::info("share {} ({}) is shown, {}", share_label(*scope), share.node_id, scope->writable ? "writable" : "read-only");
}

// Nothing of the grant stays: its queued ops (logged, with the path they were about), its
// nodes (every access EACCES from now on: open handles fail at their next call), its entries
// in the kernel, and the ids of its cached chunks, which the caller deletes.
void Vfs::revoke_share(const std::shared_ptr<ShareScope>& scope, KernelNotices& notices,
                       std::vector<std::string>& chunks) {
  scope->revoked = true;
  for (const auto& op : services_.queue.drop_share(scope->node_id)) {
    const std::string id = sync::op_node_id(op.body);
    std::string path = path_locked(id);
    spdlog::warn("share {} was revoked: its queued {} of {} (journal seq {}) is dropped", share_label(*scope),
                 sync::op_name(op.body), path.empty() ? "node " + id : path, op.seq);
  }
  detach_share_root(*scope, notices);
  const Error gone(Errc::permission_denied, "the share " + share_label(*scope) + " was revoked");
  for (auto it = nodes_.begin(); it != nodes_.end();) {
    auto node = it->second.lock();
    if (!node || node->share != scope) {
      ++it;
      continue;
    }
    node->broken = gone;
    node->content.reset();
    if (node->ino != 0) notices.inodes.push_back(node->ino);
    it = nodes_.erase(it);
  }
  chunks.insert(chunks.end(), scope->chunk_ids.begin(), scope->chunk_ids.end());
  scope->chunk_ids.clear();
  spdlog::warn("share {} ({}) is revoked: it is gone from the mount and from this profile", share_label(*scope),
               scope->node_id);
}

// The grant's entry leaves its owner's folder, and an owner folder left empty leaves too.
void Vfs::detach_share_root(const ShareScope& scope, KernelNotices& notices) {
  auto owner_it = shared_root_->children->find(scope.owner);
  if (owner_it == shared_root_->children->end()) return;
  auto owner = owner_it->second.node;
  auto entry = owner->children->find(scope.name);
  if (entry != owner->children->end() && entry->second.node->id == scope.node_id) {
    if (owner->ino != 0) {
      if (entry->second.node->ino != 0) {
        notices.deletions.push_back({owner->ino, entry->second.node->ino, scope.name});
      } else {
        notices.entries.emplace_back(owner->ino, scope.name);
      }
      notices.inodes.push_back(owner->ino);
    }
    owner->children->erase(entry);
  }
  if (!owner->children->empty()) return;
  if (shared_root_->ino != 0) {
    if (owner->ino != 0) notices.deletions.push_back({shared_root_->ino, owner->ino, scope.owner});
    else notices.entries.emplace_back(shared_root_->ino, scope.owner);
    notices.inodes.push_back(shared_root_->ino);
  }
  shared_root_->children->erase(owner_it);
  nodes_.erase(owner->id);
}

}  // namespace coffer::vfs
