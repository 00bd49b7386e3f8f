#include <sys/stat.h>

#include <deque>

#include "vfs/cloud_path.hpp"
#include "vfs/vfs.hpp"

// What the history module (fs-daemon/history) needs from the tree: nodes by path and folders
// by id, an older version's content committed as a new one, a new file filled from an old
// version. Each applies at once and reaches the server through the journal like any change.
namespace coffer::vfs {

NodeRef Vfs::ref_of(const Node& node) const {
  return NodeRef{node.id, node.type, node.key, node.name, node.parent_id, node.server_version, node.last_op_seq};
}

Result<NodeRef> Vfs::resolve_path(const std::string& path) {
  auto names = cloud_path_names(path);
  if (!names) return std::move(names).error();
  Lock lock(tree_);
  std::shared_ptr<Node> node = root_;
  for (const auto& name : *names) {
    if (node->type != remote::NodeType::folder) return make_error(Errc::not_a_directory, path + ": not a folder on the way");
    auto child = child_of(node, name, lock);
    if (!child) return make_error(child.error().code, path + ": " + child.error().message);
    node = *child;
  }
  if (node->broken) return *node->broken;
  return ref_of(*node);
}

Result<NodeRef> Vfs::find_folder(const std::string& folder_id) {
  Lock lock(tree_);
  if (auto known = known_node(folder_id); known && known->type == remote::NodeType::folder && !known->broken) {
    return ref_of(*known);
  }
  // Breadth first from the root; listings stay loaded, so this costs once per folder.
  std::deque<std::shared_ptr<Node>> folders{root_};
  while (!folders.empty()) {
    auto folder = folders.front();
    folders.pop_front();
    if (folder->broken || !ensure_listed(folder, lock)) continue;
    for (const auto& [name, child] : *folder->children) {
      if (child.node->type != remote::NodeType::folder || child.node->broken) continue;
      if (child.node->id == folder_id) return ref_of(*child.node);
      folders.push_back(child.node);
    }
  }
  return make_error(Errc::not_found, "no live folder " + folder_id);
}

Result<std::vector<std::string>> Vfs::folder_names(const std::string& folder_id) {
  Lock lock(tree_);
  auto folder = known_node(folder_id);
  if (!folder || folder->type != remote::NodeType::folder) return make_error(Errc::not_found, "no live folder " + folder_id);
  COFFER_TRY_STATUS(ensure_listed(folder, lock));
  std::vector<std::string> names;
  for (const auto& [name, child] : *folder->children) {
    if (!is_shared_name(*folder, name)) names.push_back(name);
  }
  if (folder == root_ && shows_shares()) names.emplace_back(kSharedFolderName);
  return names;
}

Status Vfs::restore_content(const std::string& node_id, BaseContent base) {
  KernelNotices notices;
  {
    Lock lock(tree_);
    auto node = known_node(node_id);
    if (!node || node->nlink == 0) return make_error(Errc::not_found, "the file is not in the mount any more");
    if (node->broken) return *node->broken;
    COFFER_TRY_STATUS(check_changeable(*node));
    if (node->content && node->content->dirty()) {
      return make_error(Errc::conflict, "a program has unsaved writes to the file open; close it and try again");
    }
    node->content = std::make_shared<FileContent>(services_.content, node->key, std::move(base));
    node->size = node->content->size();
    node->size_unknown = false;
    touch_modify(*node);
    COFFER_TRY_STATUS(commit_content(*node, lock));
    if (node->ino != 0) notices.inodes.push_back(node->ino);
  }
  notify(notices);
  return {};
}

Result<NodeRef> Vfs::create_file(const std::string& folder_id, const std::string& name, std::uint32_t mode,
                                 const Caller& caller, const ContentFiller& fill) {
  std::shared_ptr<Node> node;
  std::shared_ptr<FileContent> content;
  {
    Lock lock(tree_);
    auto folder = known_node(folder_id);
    if (!folder || folder->type != remote::NodeType::folder) return make_error(Errc::not_found, "no live folder " + folder_id);
    COFFER_TRY_STATUS(ensure_listed(folder, lock));
    auto made = make_node(*folder, name, NodeSpec{remote::NodeType::file, mode, {}, 0}, caller);
    if (!made) return std::move(made).error();
    node = *made;
    node->content = content =
        std::make_shared<FileContent>(services_.content, node->key, BaseContent{0, options_.chunk_size, {}});
    ++node->open_count;  // as an open handle: a refresh from the change feed leaves it alone
  }
  Status filled = fill(*content);
  KernelNotices notices;
  Status committed;
  {
    Lock lock(tree_);
    --node->open_count;
    node->size = content->size();
    touch_modify(*node);
    // What was filled is committed even after a failure: the file exists and holds what it holds.
    committed = commit_content(*node, lock);
    if (auto folder = known_node(folder_id); folder && folder->ino != 0) {
      notices.entries.emplace_back(folder->ino, name);
      notices.inodes.push_back(folder->ino);
    }
  }
  notify(notices);
  COFFER_TRY_STATUS(filled);
  COFFER_TRY_STATUS(committed);
  std::lock_guard lock(tree_);
  return ref_of(*node);
}

}  // namespace coffer::vfs
