#include <sys/stat.h>

#include "crypto/encoding.hpp"
#include "crypto/random.hpp"
#include "vfs/entry_codec.hpp"
#include "vfs/vfs.hpp"

// Names: creating, linking, removing and moving entries. Each change applies to the listings
// at once and is queued for the server as one journal op.
namespace coffer::vfs {
namespace {

constexpr std::size_t kMaxName = 255;
constexpr std::size_t kMaxSymlink = 4095;

SecureBytes raw_key(const crypto::FernetKey& key) { return SecureBytes(key.raw().begin(), key.raw().end()); }

// The S_IFMT bits of a new node: fixed by its type, except a special file's, which mknod names.
std::uint32_t type_bits(const NodeSpec& spec) {
  switch (spec.type) {
    case remote::NodeType::folder: return S_IFDIR;
    case remote::NodeType::symlink: return S_IFLNK;
    case remote::NodeType::special: return spec.mode & S_IFMT;
    case remote::NodeType::file: break;
  }
  return S_IFREG;
}

Result<remote::NodeType> mknod_type(std::uint32_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return remote::NodeType::file;
    case S_IFIFO:
    case S_IFSOCK:
    case S_IFCHR:
    case S_IFBLK: return remote::NodeType::special;
    default: return make_error(Errc::invalid_argument, "mknod makes files, FIFOs, sockets and device nodes");
  }
}

bool is_device(std::uint32_t mode) { return S_ISCHR(mode) || S_ISBLK(mode); }

}  // namespace

// The one way into the upload queue: an op of a share is tagged with its grant, so a revocation
// finds it, and none is queued once the grant is revoked.
Status Vfs::record_op(Node& node, sync::OpBody op) {
  if (node.share && node.share->revoked) return check_changeable(node);
  persist_op(node, op);
  auto seq = services_.queue.submit(std::move(op), node.share ? node.share->node_id : std::string());
  if (!seq) return std::move(seq).error();
  node.last_op_seq = *seq;
  return {};
}

Result<std::shared_ptr<Node>> Vfs::make_node(Node& parent, const std::string& name, NodeSpec spec,
                                             const Caller& caller) {
  const remote::NodeType type = spec.type;
  if (name.size() > kMaxName) return make_error(Errc::name_too_long, "a name is longer than 255 bytes");
  if (parent.children->contains(name) || is_shared_name(parent, name)) {
    return make_error(Errc::already_exists, "the name exists");
  }
  COFFER_TRY_STATUS(check_changeable(parent));
  auto node = std::make_shared<Node>(crypto::hex_encode(crypto::random_bytes(16)), type, crypto::FernetKey::generate());
  const auto now = now_timestamp();
  auto& attrs = node->attrs;
  attrs.mode = type_bits(spec) | (spec.mode & 07777);
  attrs.uid = caller.uid;
  attrs.gid = caller.gid;
  if (parent.attrs.mode & S_ISGID) {
    attrs.gid = parent.attrs.gid;
    if (type == remote::NodeType::folder) attrs.mode |= S_ISGID;
  }
  attrs.atime = attrs.mtime = attrs.ctime = now;
  attrs.rdev = spec.rdev;
  attrs.symlink_target = std::move(spec.symlink_target);
  node->size = node->committed_size = attrs.symlink_target.size();
  if (type == remote::NodeType::folder) node->children.emplace();
  node->share = parent.share;
  node->parent_id = parent.id;
  node->name = name;
  auto entry = seal_entry(parent, name, node->id, node->key);
  std::string tag = entry.name_tag;
  COFFER_TRY_STATUS(record_op(*node, sync::CreateOp{node->id, type, std::move(entry), raw_key(node->key), attrs,
                                                    raw_key(parent.key)}));
  (*parent.children)[name] = ChildEntry{std::move(tag), node};
  nodes_[node->id] = node;
  touch_modify(parent);
  COFFER_TRY_STATUS(record_folder_times(parent));
  return node;
}

Result<EntryReply> Vfs::mkdir(std::uint64_t parent, const std::string& name, std::uint32_t mode, const Caller& caller) {
  Lock lock(tree_);
  auto folder = folder_of(parent, lock);
  if (!folder) return std::move(folder).error();
  auto node = make_node(**folder, name, NodeSpec{remote::NodeType::folder, mode, {}, 0}, caller);
  if (!node) return std::move(node).error();
  return reply_entry(*node);
}

Result<EntryReply> Vfs::mknod(std::uint64_t parent, const std::string& name, std::uint32_t mode, std::uint64_t rdev,
                              const Caller& caller) {
  auto type = mknod_type(mode);
  if (!type) return std::move(type).error();
  Lock lock(tree_);
  auto folder = folder_of(parent, lock);
  if (!folder) return std::move(folder).error();
  auto node = make_node(**folder, name, NodeSpec{*type, mode, {}, is_device(mode) ? rdev : 0}, caller);
  if (!node) return std::move(node).error();
  return reply_entry(*node);
}

Result<EntryReply> Vfs::symlink(const std::string& target, std::uint64_t parent, const std::string& name,
                                const Caller& caller) {
  if (target.size() > kMaxSymlink) return make_error(Errc::name_too_long, "a symlink target is longer than 4095 bytes");
  Lock lock(tree_);
  auto folder = folder_of(parent, lock);
  if (!folder) return std::move(folder).error();
  auto node = make_node(**folder, name, NodeSpec{remote::NodeType::symlink, 0777, target, 0}, caller);
  if (!node) return std::move(node).error();
  return reply_entry(*node);
}

Result<EntryReply> Vfs::link(std::uint64_t ino, std::uint64_t new_parent, const std::string& new_name) {
  Lock lock(tree_);
  auto node = node_of(ino);
  if (!node) return std::move(node).error();
  const remote::NodeType type = (*node)->type;
  if (type != remote::NodeType::file && type != remote::NodeType::special) {
    return make_error(Errc::not_permitted, "only files and special files have hard links");
  }
  auto folder = folder_of(new_parent, lock);
  if (!folder) return std::move(folder).error();
  if (new_name.size() > kMaxName) return make_error(Errc::name_too_long, "a name is longer than 255 bytes");
  if ((*folder)->children->contains(new_name) || is_shared_name(**folder, new_name)) {
    return make_error(Errc::already_exists, "the name exists");
  }
  COFFER_TRY_STATUS(check_changeable(**folder));
  COFFER_TRY_STATUS(check_changeable(**node));
  COFFER_TRY_STATUS(check_same_tree(**node, **folder));
  auto entry = seal_entry(**folder, new_name, (*node)->id, (*node)->key);
  std::string tag = entry.name_tag;
  COFFER_TRY_STATUS(record_op(**node, sync::LinkOp{{(*node)->id, std::move(entry)}, raw_key((*folder)->key)}));
  (*(*folder)->children)[new_name] = ChildEntry{std::move(tag), *node};
  ++(*node)->nlink;
  touch_change(**node);
  touch_modify(**folder);
  COFFER_TRY_STATUS(record_folder_times(**folder));
  return reply_entry(*node);
}

Status Vfs::detach_child(Node& parent, const std::string& name, const ChildEntry& child) {
  parent.children->erase(name);
  if (child.node->nlink > 0) --child.node->nlink;
  if (child.node->nlink > 0) touch_change(*child.node);
  touch_modify(parent);
  return record_folder_times(parent);
}

// A folder to remove must be empty, so its listing is loaded first (without the tree lock);
// the name is then looked up again, as it may have changed meanwhile.
Status Vfs::remove_entry(const std::shared_ptr<Node>& parent, const std::string& name, bool folder, Lock& lock) {
  for (;;) {
    auto child = child_of(parent, name, lock);
    if (!child) return std::move(child).error();
    COFFER_TRY_STATUS(check_changeable(*parent));
    COFFER_TRY_STATUS(check_changeable(**child));
    bool is_folder = (*child)->type == remote::NodeType::folder;
    if (folder && !is_folder) return make_error(Errc::not_a_directory, "not a folder");
    if (!folder && is_folder) return make_error(Errc::is_a_directory, "a folder");
    if (is_folder && !(*child)->children) {
      COFFER_TRY_STATUS(ensure_listed(*child, lock));
      continue;
    }
    if (is_folder && !(*child)->children->empty()) return make_error(Errc::not_empty, "the folder is not empty");
    ChildEntry entry = parent->children->at(name);
    COFFER_TRY_STATUS(record_op(*entry.node, sync::RemoveOp{{parent->id, entry.name_tag, std::nullopt}, entry.node->id,
                                                            raw_key(parent->key), entry.node->server_version, name,
                                                            raw_key(entry.node->key)}));
    return detach_child(*parent, name, entry);
  }
}

Status Vfs::unlink(std::uint64_t parent, const std::string& name) {
  Lock lock(tree_);
  auto folder = folder_of(parent, lock);
  if (!folder) return std::move(folder).error();
  return remove_entry(*folder, name, false, lock);
}

Status Vfs::rmdir(std::uint64_t parent, const std::string& name) {
  Lock lock(tree_);
  auto folder = folder_of(parent, lock);
  if (!folder) return std::move(folder).error();
  return remove_entry(*folder, name, true, lock);
}

bool Vfs::is_ancestor(const Node& maybe_ancestor, const Node& node) const {
  const Node* current = &node;
  while (current != nullptr) {
    if (current == &maybe_ancestor) return true;
    auto it = nodes_.find(current->parent_id);
    auto parent = it == nodes_.end() ? nullptr : it->second.lock();
    current = parent.get();
  }
  return false;
}

Status Vfs::check_rename(const Node& from, Node& to, const std::string& new_name, RenameMode mode,
                         const ChildEntry& source, const ChildEntry* target) {
  if (new_name.size() > kMaxName) return make_error(Errc::name_too_long, "a name is longer than 255 bytes");
  bool source_folder = source.node->type == remote::NodeType::folder;
  if (source_folder && is_ancestor(*source.node, to)) {
    return make_error(Errc::invalid_argument, "a folder cannot move into itself");
  }
  if (mode == RenameMode::exchange) {
    if (target == nullptr) return make_error(Errc::not_found, "nothing to exchange with");
    bool target_folder = target->node->type == remote::NodeType::folder;
    if (target_folder && is_ancestor(*target->node, from)) {
      return make_error(Errc::invalid_argument, "a folder cannot move into itself");
    }
    return {};
  }
  if (target == nullptr) return {};
  if (mode == RenameMode::noreplace) return make_error(Errc::already_exists, "the target exists");
  bool target_folder = target->node->type == remote::NodeType::folder;
  if (source_folder && !target_folder) return make_error(Errc::not_a_directory, "the target is not a folder");
  if (!source_folder && target_folder) return make_error(Errc::is_a_directory, "the target is a folder");
  // Listed by rename() before it got here.
  if (target_folder && !target->node->children->empty()) {
    return make_error(Errc::not_empty, "the target folder is not empty");
  }
  return {};
}

Status Vfs::rename(std::uint64_t parent, const std::string& name, std::uint64_t new_parent,
                   const std::string& new_name, RenameMode mode) {
  Lock lock(tree_);
  // Every folder involved is listed first (each load releases the tree lock); then everything
  // is looked up again and the rename runs under one hold of the lock.
  for (;;) {
    auto from = folder_of(parent, lock);
    if (!from) return std::move(from).error();
    auto to = folder_of(new_parent, lock);
    if (!to) return std::move(to).error();
    auto moving = child_of(*from, name, lock);  // listed: the lock stays held from here
    if (!moving) return std::move(moving).error();
    COFFER_TRY_STATUS(check_changeable(**from));
    COFFER_TRY_STATUS(check_changeable(**to));
    COFFER_TRY_STATUS(check_changeable(**moving));  // `Shared with me` itself, in the root
    if (is_shared_name(**to, new_name)) return check_changeable(*shared_root_);
    COFFER_TRY_STATUS(check_same_tree(**from, **to));
    const ChildEntry source = (*from)->children->at(name);
    auto target_it = (*to)->children->find(new_name);
    const ChildEntry* target = target_it == (*to)->children->end() ? nullptr : &target_it->second;
    const bool replaces_folder = target != nullptr && mode != RenameMode::exchange &&
                                 source.node->type == remote::NodeType::folder &&
                                 target->node->type == remote::NodeType::folder;
    if (replaces_folder && !target->node->children) {
      COFFER_TRY_STATUS(ensure_listed(target->node, lock));
      continue;
    }
    std::optional<ChildEntry> replaced;
    if (target != nullptr) replaced = *target;
    return move_entry(**from, **to, name, new_name, mode, source, replaced ? &*replaced : nullptr);
  }
}

Status Vfs::move_entry(Node& from, Node& to, const std::string& name, const std::string& new_name, RenameMode mode,
                       const ChildEntry& source, const ChildEntry* target) {
  COFFER_TRY_STATUS(check_rename(from, to, new_name, mode, source, target));
  if (target && target->node == source.node && mode != RenameMode::exchange) return {};

  remote::MoveEntry move;
  move.from = {from.id, source.name_tag, std::nullopt};
  move.to = seal_entry(to, new_name, source.node->id, source.node->key);
  move.mode = mode == RenameMode::exchange ? remote::MoveMode::exchange
              : mode == RenameMode::noreplace ? remote::MoveMode::noreplace
                                              : remote::MoveMode::replace;
  if (mode == RenameMode::exchange) move.exchange = seal_entry(from, name, target->node->id, target->node->key);
  const std::string new_tag = move.to.name_tag;
  const std::string exchange_tag = move.exchange ? move.exchange->name_tag : std::string();
  COFFER_TRY_STATUS(record_op(*source.node, sync::MoveOp{std::move(move), raw_key(from.key), raw_key(to.key)}));

  from.children->erase(name);
  if (mode == RenameMode::exchange) {
    (*from.children)[name] = ChildEntry{exchange_tag, target->node};
    target->node->parent_id = from.id;
    target->node->name = name;
    touch_change(*target->node);
  } else if (target) {
    if (target->node->nlink > 0) --target->node->nlink;
  }
  (*to.children)[new_name] = ChildEntry{new_tag, source.node};
  source.node->parent_id = to.id;
  source.node->name = new_name;
  touch_change(*source.node);
  touch_modify(from);
  COFFER_TRY_STATUS(record_folder_times(from));
  if (&to != &from) {
    touch_modify(to);
    COFFER_TRY_STATUS(record_folder_times(to));
  }
  return {};
}

}  // namespace coffer::vfs
