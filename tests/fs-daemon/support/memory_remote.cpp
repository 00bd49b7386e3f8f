#include "memory_remote.hpp"

#include "crypto/chunk.hpp"

namespace coffer::test {

Status MemoryRemote::reachable() const {
  if (offline_) return make_error(Errc::unavailable, "the test server is offline");
  return {};
}

void MemoryRemote::add_root(const std::string& node_id, Bytes attributes, Bytes folder_record) {
  std::lock_guard lock(mutex_);
  remote::NodeInfo info;
  info.node_id = node_id;
  info.type = remote::NodeType::folder;
  info.owner = "tester";
  info.attributes = std::move(attributes);
  info.attributes_revision = 1;
  nodes_[node_id] = StoredNode{info, {}};
  folders_[node_id] = remote::FolderState{1, std::move(folder_record)};
}

void MemoryRemote::hold_listings(std::string folder_id) {
  std::lock_guard lock(hold_mutex_);
  held_folder_ = std::move(folder_id);
}

void MemoryRemote::release_listings() {
  {
    std::lock_guard lock(hold_mutex_);
    held_folder_.clear();
  }
  hold_released_.notify_all();
}

std::size_t MemoryRemote::listings_waiting() {
  std::lock_guard lock(hold_mutex_);
  return listings_waiting_;
}

std::size_t MemoryRemote::listings_of(const std::string& folder_id) {
  std::lock_guard lock(hold_mutex_);
  return listing_calls_[folder_id];
}

Result<remote::NodeInfo> MemoryRemote::get_node(const std::string& node_id) {
  ++node_gets_;
  COFFER_TRY_STATUS(reachable());
  std::lock_guard lock(mutex_);
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) return make_error(Errc::not_found, "no such node");
  return it->second.info;
}

Result<remote::EntryInfo> MemoryRemote::entry_locked(const std::string& parent_id, const std::string& tag) {
  auto folder = entries_.find(parent_id);
  if (folder == entries_.end() || !folder->second.contains(tag)) return make_error(Errc::not_found, "no such entry");
  const auto& stored = folder->second.at(tag);
  return remote::EntryInfo{parent_id, stored.name, tag, stored.wrapped_key, nodes_.at(stored.node_id).info};
}

Result<remote::EntryPage> MemoryRemote::list_entries(const std::string& parent_id, const std::optional<std::string>& after,
                                                     unsigned limit) {
  {
    std::unique_lock hold(hold_mutex_);
    ++listing_calls_[parent_id];
    ++listings_waiting_;
    hold_released_.wait(hold, [&] { return held_folder_ != parent_id; });
    --listings_waiting_;
  }
  COFFER_TRY_STATUS(reachable());
  ++entry_listings_;
  std::lock_guard lock(mutex_);
  if (!nodes_.contains(parent_id)) return make_error(Errc::not_found, "no such node");
  remote::EntryPage page;
  auto& folder = entries_[parent_id];
  auto it = after ? folder.upper_bound(*after) : folder.begin();
  for (; it != folder.end() && page.entries.size() < limit; ++it) page.entries.push_back(*entry_locked(parent_id, it->first));
  if (it != folder.end()) page.next = page.entries.back().name_tag;
  page.folder = folders_[parent_id];
  return page;
}

Result<remote::EntryInfo> MemoryRemote::lookup_entry(const std::string& parent_id, const std::string& name_tag) {
  COFFER_TRY_STATUS(reachable());
  std::lock_guard lock(mutex_);
  return entry_locked(parent_id, name_tag);
}

Result<remote::EntryInfo> MemoryRemote::create_locked(const remote::CreateNode& r) {
  if (nodes_.contains(r.node_id)) return make_error(Errc::already_exists, "node id in use");
  if (!nodes_.contains(r.entry.parent_id)) return make_error(Errc::not_found, "no such parent");
  if (nodes_.at(r.entry.parent_id).info.nlink == 0) return make_error(Errc::not_found, "the parent folder is in the trash");
  if (entries_[r.entry.parent_id].contains(r.entry.name_tag)) return make_error(Errc::already_exists, "name exists");
  remote::NodeInfo info;
  info.node_id = r.node_id;
  info.type = r.type;
  info.owner = "tester";
  info.attributes = r.attributes;
  info.attributes_revision = r.attributes_revision;
  nodes_[r.node_id] = StoredNode{info, {}};
  entries_[r.entry.parent_id][r.entry.name_tag] = StoredEntry{r.entry.name, r.entry.wrapped_key, r.node_id};
  return entry_locked(r.entry.parent_id, r.entry.name_tag);
}

Result<remote::EntryInfo> MemoryRemote::link_locked(const remote::AddLink& r) {
  auto node = nodes_.find(r.node_id);
  if (node == nodes_.end()) return make_error(Errc::not_found, "no such node");
  const remote::NodeType type = node->second.info.type;
  if (type != remote::NodeType::file && type != remote::NodeType::special) {
    return make_error(Errc::invalid_argument, "only files and special files have hard links");
  }
  if (entries_[r.entry.parent_id].contains(r.entry.name_tag)) return make_error(Errc::already_exists, "name exists");
  entries_[r.entry.parent_id][r.entry.name_tag] = StoredEntry{r.entry.name, r.entry.wrapped_key, r.node_id};
  ++node->second.info.nlink;
  return entry_locked(r.entry.parent_id, r.entry.name_tag);
}

Result<remote::EntryInfo> MemoryRemote::move_locked(const remote::MoveEntry& r) {
  auto& from = entries_[r.from.parent_id];
  auto source = from.find(r.from.name_tag);
  if (source == from.end()) return make_error(Errc::not_found, "no such entry");
  auto& to = entries_[r.to.parent_id];
  bool target_exists = to.contains(r.to.name_tag) && !(r.from.parent_id == r.to.parent_id && r.from.name_tag == r.to.name_tag);
  StoredEntry moved{r.to.name, r.to.wrapped_key, source->second.node_id};
  if (r.mode == remote::MoveMode::exchange) {
    if (!target_exists || !r.exchange) return make_error(Errc::not_found, "nothing to exchange with");
    StoredEntry other = to.at(r.to.name_tag);
    from[r.from.name_tag] = StoredEntry{r.exchange->name, r.exchange->wrapped_key, other.node_id};
    to[r.to.name_tag] = moved;
    return entry_locked(r.to.parent_id, r.to.name_tag);
  }
  if (target_exists && r.mode == remote::MoveMode::noreplace) return make_error(Errc::already_exists, "target exists");
  if (target_exists) COFFER_TRY_STATUS(remove_locked({r.to.parent_id, r.to.name_tag, std::nullopt}));
  from.erase(r.from.name_tag);
  to[r.to.name_tag] = moved;
  return entry_locked(r.to.parent_id, r.to.name_tag);
}

Status MemoryRemote::remove_locked(const remote::RemoveEntry& r) {
  auto& folder = entries_[r.parent_id];
  auto it = folder.find(r.name_tag);
  if (it == folder.end()) return make_error(Errc::not_found, "no such entry");
  if (!entries_[it->second.node_id].empty()) return make_error(Errc::not_empty, "folder not empty");
  auto& info = nodes_.at(it->second.node_id).info;
  if (r.expected_version && info.version != *r.expected_version) {
    return make_error(Errc::conflict, "the file has a newer version than expected_version");
  }
  if (info.nlink > 0) --info.nlink;
  folder.erase(it);
  return {};
}

Result<remote::NodeInfo> MemoryRemote::set_attributes_locked(const remote::SetAttributes& r) {
  auto it = nodes_.find(r.node_id);
  if (it == nodes_.end()) return make_error(Errc::not_found, "no such node");
  auto& info = it->second.info;
  if (info.attributes_revision != r.base_revision) return make_error(Errc::conflict, "stale revision");
  info.attributes = r.attributes;
  info.attributes_revision = r.revision;
  ++attribute_sets_;
  return info;
}

Result<remote::NodeInfo> MemoryRemote::set_attributes(const remote::SetAttributes& request) {
  COFFER_TRY_STATUS(reachable());
  std::lock_guard lock(mutex_);
  auto set = set_attributes_locked(request);
  if (set) record_locked(request.node_id, std::nullopt, "attributes");
  return set;
}

Status MemoryRemote::store_blob_locked(const std::string& blob_id, ByteView data) {
  if (crypto::ChunkId::of(data).hex() != blob_id) return make_error(Errc::invalid_argument, "hash mismatch");
  blobs_[blob_id] = Bytes(data.begin(), data.end());
  ++blob_puts_;
  return {};
}

Status MemoryRemote::put_blob(const std::string& blob_id, ByteView data) {
  COFFER_TRY_STATUS(reachable());
  std::lock_guard lock(mutex_);
  return store_blob_locked(blob_id, data);
}

Result<Bytes> MemoryRemote::get_blob(const std::string& blob_id) {
  COFFER_TRY_STATUS(reachable());
  std::lock_guard lock(mutex_);
  auto it = blobs_.find(blob_id);
  if (it == blobs_.end()) return make_error(Errc::not_found, "no such blob");
  return it->second;
}

Result<std::uint64_t> MemoryRemote::commit_locked(const remote::CommitVersion& r) {
  auto it = nodes_.find(r.node_id);
  if (it == nodes_.end()) return make_error(Errc::not_found, "no such node");
  auto& node = it->second;
  if (node.info.type != remote::NodeType::file) return make_error(Errc::invalid_argument, "only files have content versions");
  if (node.info.nlink == 0) return make_error(Errc::not_found, "the file is in the trash");
  if (node.info.version != r.base_version || r.version != r.base_version + 1) {
    return make_error(Errc::conflict, "stale base version");
  }
  for (const auto& blob : r.blobs) COFFER_TRY_STATUS(store_blob_locked(blob.id, blob.data));
  std::uint64_t size = 0;
  for (const auto& id : r.chunks) {
    auto blob = blobs_.find(id);
    if (blob == blobs_.end()) return make_error(Errc::invalid_argument, "a chunk is not stored");
    size += blob->second.size();
  }
  node.versions[r.version] = remote::VersionInfo{r.version, r.manifest, r.chunks};
  node.info.version = r.version;
  node.info.size = size;
  return r.version;
}

Result<std::uint64_t> MemoryRemote::commit_version(const remote::CommitVersion& request) {
  COFFER_TRY_STATUS(reachable());
  std::lock_guard lock(mutex_);
  auto committed = commit_locked(request);
  if (committed) record_locked(request.node_id, std::nullopt, "version");
  return committed;
}

Result<remote::VersionInfo> MemoryRemote::get_version(const std::string& node_id, std::optional<std::uint64_t> version) {
  COFFER_TRY_STATUS(reachable());
  std::lock_guard lock(mutex_);
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) return make_error(Errc::not_found, "no such node");
  auto found = it->second.versions.find(version.value_or(it->second.info.version));
  if (found == it->second.versions.end()) return make_error(Errc::not_found, "no such version");
  return found->second;
}

Result<std::vector<Status>> MemoryRemote::apply_batch_locked(const std::vector<remote::BatchOp>& ops,
                                                             std::set<std::string>& changed, bool& undone) {
  std::vector<Status> results;
  for (const auto& op : ops) {
    if (const auto* create = std::get_if<remote::CreateNode>(&op)) {
      auto created = create_locked(*create);
      results.push_back(created ? Status{} : Status{created.error()});
      changed.insert(create->entry.parent_id);
      if (create->type == remote::NodeType::folder) changed.insert(create->node_id);
    } else if (const auto* attrs = std::get_if<remote::SetAttributes>(&op)) {
      auto set = set_attributes_locked(*attrs);
      results.push_back(set ? Status{} : Status{set.error()});
      continue;
    } else if (const auto* commit = std::get_if<remote::CommitVersion>(&op)) {
      auto committed = commit_locked(*commit);
      results.push_back(committed ? Status{} : Status{committed.error()});
      continue;
    } else if (const auto* move = std::get_if<remote::MoveEntry>(&op)) {
      auto moved = move_locked(*move);
      results.push_back(moved ? Status{} : Status{moved.error()});
      changed.insert(move->from.parent_id);
      changed.insert(move->to.parent_id);
    } else if (const auto* link = std::get_if<remote::AddLink>(&op)) {
      auto linked = link_locked(*link);
      results.push_back(linked ? Status{} : Status{linked.error()});
      changed.insert(link->entry.parent_id);
    } else {
      const auto& remove = std::get<remote::RemoveEntry>(op);
      results.push_back(remove_locked(remove));
      changed.insert(remove.parent_id);
    }
    if (!results.back()) {  // an entry op failed: nothing is applied
      undone = true;
      Status failed = std::move(results.back());
      results.pop_back();
      for (auto& result : results) {
        if (result) result = make_error(Errc::aborted, "not applied");
      }
      results.push_back(std::move(failed));
      while (results.size() < ops.size()) results.push_back(make_error(Errc::aborted, "not applied"));
      return results;
    }
  }
  return results;
}

Status MemoryRemote::check_folder_bases_locked(const std::vector<remote::FolderUpdate>& folders) {
  for (const auto& update : folders) {
    auto it = folders_.find(update.node_id);
    const std::uint64_t current = it == folders_.end() ? 0 : it->second.revision;
    if (current != update.base_revision) return make_error(Errc::conflict, "stale folder revision");
  }
  return {};
}

Result<std::vector<Status>> MemoryRemote::batch(const std::vector<remote::BatchOp>& ops,
                                                const std::vector<remote::FolderUpdate>& folders) {
  COFFER_TRY_STATUS(reachable());
  std::lock_guard lock(mutex_);
  COFFER_TRY_STATUS(check_folder_bases_locked(folders));
  const auto nodes = nodes_;
  const auto entries = entries_;
  const auto blobs = blobs_;
  std::set<std::string> changed;
  bool aborted = false;
  auto results = apply_batch_locked(ops, changed, aborted);
  std::set<std::string> updated;
  for (const auto& update : folders) updated.insert(update.node_id);
  if (aborted || changed != updated) {
    nodes_ = nodes;
    entries_ = entries;
    blobs_ = blobs;
    if (aborted) return results;
    return make_error(Errc::invalid_argument, "the folder records do not match the folders the ops change");
  }
  for (const auto& update : folders) folders_[update.node_id] = remote::FolderState{update.revision, update.record};
  record_batch_locked(ops, updated);
  return results;
}

void MemoryRemote::record_batch_locked(const std::vector<remote::BatchOp>& ops, const std::set<std::string>& folders) {
  for (const auto& folder : folders) record_locked(folder, folder, "moved");
  for (const auto& op : ops) {
    if (const auto* attrs = std::get_if<remote::SetAttributes>(&op)) record_locked(attrs->node_id, std::nullopt, "attributes");
    if (const auto* commit = std::get_if<remote::CommitVersion>(&op)) record_locked(commit->node_id, std::nullopt, "version");
  }
}

void MemoryRemote::record_locked(const std::string& node_id, std::optional<std::string> parent_id,
                                 const std::string& kind) {
  feed_.push_back(remote::Change{feed_.size() + 1, node_id, std::move(parent_id), kind, false});
  feed_grew_.notify_all();
}

void MemoryRemote::add_change(const std::string& node_id, std::optional<std::string> parent_id, const std::string& kind) {
  std::lock_guard lock(mutex_);
  record_locked(node_id, std::move(parent_id), kind);
}

Result<remote::ChangePage> MemoryRemote::changes(std::optional<std::uint64_t> cursor, std::chrono::seconds wait,
                                                 std::stop_token stop) {
  COFFER_TRY_STATUS(reachable());
  std::unique_lock lock(mutex_);
  if (!cursor) return remote::ChangePage{{}, feed_.size()};
  const std::uint64_t after = *cursor;
  feed_grew_.wait_for(lock, stop, wait, [&] { return feed_.size() > after; });
  if (stop.stop_requested()) return make_error(Errc::unavailable, "stopped");
  remote::ChangePage page{{}, std::max<std::uint64_t>(after, feed_.size())};
  for (std::size_t i = after; i < feed_.size(); ++i) page.changes.push_back(feed_[i]);
  return page;
}

Result<remote::Usage> MemoryRemote::usage() {
  COFFER_TRY_STATUS(reachable());
  std::lock_guard lock(mutex_);
  remote::Usage usage;
  for (const auto& [id, blob] : blobs_) usage.used += blob.size();
  return usage;
}

std::size_t MemoryRemote::blob_count() {
  std::lock_guard lock(mutex_);
  return blobs_.size();
}

void MemoryRemote::flip_byte(const std::string& blob_id) {
  std::lock_guard lock(mutex_);
  auto& blob = blobs_.at(blob_id);
  blob[blob.size() / 2] ^= 0x01;
}

void MemoryRemote::swap_blobs(const std::string& first_id, const std::string& second_id) {
  std::lock_guard lock(mutex_);
  std::swap(blobs_.at(first_id), blobs_.at(second_id));
}

void MemoryRemote::roll_back(const std::string& node_id, std::uint64_t version) {
  std::lock_guard lock(mutex_);
  nodes_.at(node_id).info.version = version;
}

void MemoryRemote::restore_node(const StoredNode& node) {
  std::lock_guard lock(mutex_);
  nodes_[node.info.node_id] = node;
}

std::optional<MemoryRemote::StoredNode> MemoryRemote::node(const std::string& node_id) {
  std::lock_guard lock(mutex_);
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) return std::nullopt;
  return it->second;
}

std::uint64_t MemoryRemote::folder_revision(const std::string& folder_id) {
  std::lock_guard lock(mutex_);
  return folders_[folder_id].revision;
}

void MemoryRemote::swap_entry_nodes(const std::string& parent_id, const std::string& tag_a, const std::string& tag_b) {
  std::lock_guard lock(mutex_);
  auto& folder = entries_.at(parent_id);
  std::swap(folder.at(tag_a).node_id, folder.at(tag_b).node_id);
}

void MemoryRemote::drop_entry(const std::string& parent_id, const std::string& tag) {
  std::lock_guard lock(mutex_);
  entries_.at(parent_id).erase(tag);
}

std::vector<std::string> MemoryRemote::entry_tags(const std::string& parent_id) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> tags;
  for (const auto& [tag, entry] : entries_[parent_id]) tags.push_back(tag);
  return tags;
}

Bytes MemoryRemote::everything_stored() {
  std::lock_guard lock(mutex_);
  Bytes all;
  for (const auto& [id, blob] : blobs_) all.insert(all.end(), blob.begin(), blob.end());
  for (const auto& [id, node] : nodes_) {
    all.insert(all.end(), node.info.attributes.begin(), node.info.attributes.end());
    for (const auto& [v, version] : node.versions) all.insert(all.end(), version.manifest.begin(), version.manifest.end());
  }
  for (const auto& [parent, folder] : entries_) {
    for (const auto& [tag, entry] : folder) all.insert(all.end(), entry.name.begin(), entry.name.end());
  }
  return all;
}

}  // namespace coffer::test
