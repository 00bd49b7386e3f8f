#include <map>
#include <set>

#include "history/history.hpp"
#include "vfs/entry_codec.hpp"

// The trash with names and paths. A trashed item's name opens under the key of the folder that
// last held it: a live folder's (found in the mount), or, when that folder is in the trash too,
// the key its own trash item's entry seals, found the same way, up to a live folder.
namespace coffer::history {
namespace {

constexpr unsigned kTrashPage = 1000;

// Opens the trash items' names one folder chain at a time, remembering each folder's key and path.
class TrashOpener {
 public:
  TrashOpener(vfs::Vfs& vfs, std::vector<TrashEntry>& entries) : vfs_(vfs), entries_(entries) {
    for (std::size_t i = 0; i < entries_.size(); ++i) by_id_[entries_[i].item.node.node_id] = i;
  }

  void open(std::size_t index) {
    TrashEntry& entry = entries_[index];
    if (entry.key || !entry.error.empty()) return;
    if (!visiting_.insert(index).second) {
      entry.error = "its folders form a loop in the server's answer";
      return;
    }
    auto folder = folder_of(entry.item.entry.parent_id);
    visiting_.erase(index);
    if (!folder) {
      entry.error = folder.error().message;
      return;
    }
    vfs::Node parent(entry.item.entry.parent_id, remote::NodeType::folder, folder->key);
    remote::EntryInfo sealed{entry.item.entry.parent_id, entry.item.entry.name, entry.item.entry.name_tag,
                             entry.item.entry.wrapped_key, entry.item.node};
    auto opened = vfs::open_entry(parent, sealed);
    if (!opened) {
      entry.error = opened.error().message;
      return;
    }
    entry.name = opened->name;
    entry.path = (folder->path == "/" ? "" : folder->path) + "/" + opened->name;
    if (opened->node->broken) {
      entry.error = opened->node->broken->message;
      return;
    }
    entry.key = opened->node->key;
    entry.attrs = opened->node->attrs;
    if (!opened->node->size_unknown) entry.size = opened->node->size;
  }

 private:
  struct Folder {
    crypto::FernetKey key;
    std::string path;
  };

  Result<Folder> folder_of(const std::string& folder_id) {
    if (auto it = by_id_.find(folder_id); it != by_id_.end()) {
      open(it->second);
      const TrashEntry& parent = entries_[it->second];
      if (!parent.key) return make_error(Errc::integrity, "its folder in the trash does not open: " + parent.error);
      return Folder{*parent.key, parent.path};
    }
    auto live = vfs_.find_folder(folder_id);
    if (!live) return make_error(live.error().code, "its folder was purged or cannot be found (" + live.error().message + ")");
    std::string path = vfs_.path_of(folder_id);
    return Folder{live->key, path.empty() ? "/" : path};
  }

  vfs::Vfs& vfs_;
  std::vector<TrashEntry>& entries_;
  std::map<std::string, std::size_t> by_id_;
  std::set<std::size_t> visiting_;
};

}  // namespace

Result<std::vector<TrashEntry>> History::trash() {
  std::vector<TrashEntry> entries;
  std::optional<std::string> after;
  do {
    auto page = services_.history.list_trash(after, kTrashPage);
    if (!page) return std::move(page).error();
    for (auto& item : page->items) entries.push_back(TrashEntry{std::move(item), std::nullopt, {}, std::nullopt, {}, {}, {}});
    after = page->next;
  } while (after);
  TrashOpener opener(services_.vfs, entries);
  for (std::size_t i = 0; i < entries.size(); ++i) opener.open(i);
  return entries;
}

Result<std::uint64_t> History::empty_trash(std::optional<std::int64_t> older_than) {
  return services_.history.empty_trash(older_than);
}

}  // namespace coffer::history
