#include <algorithm>

#include "history/history.hpp"
#include "vfs/cloud_path.hpp"
#include "vfs/entry_codec.hpp"

// A folder as it was at some time, from the server's entry history (docs/api.md, entries
// `?at=`). Each sealed entry is opened and checked as a live one is; no commitment covers the
// past, so a server could leave an entry out unseen (docs/client.md says so).
namespace coffer::history {
namespace {

constexpr unsigned kPage = 5000;

struct PastFolder {
  std::string id;
  crypto::FernetKey key;
};

Result<std::vector<vfs::OpenedEntry>> open_entries_at(remote::HistoryApi& history, const PastFolder& folder,
                                                      std::int64_t at) {
  vfs::Node node(folder.id, remote::NodeType::folder, folder.key);
  std::vector<vfs::OpenedEntry> opened;
  std::optional<std::string> after;
  do {
    auto page = history.list_entries_at(folder.id, at, after, kPage);
    if (!page) return std::move(page).error();
    for (const auto& entry : page->entries) {
      auto one = vfs::open_entry(node, entry);
      if (one) opened.push_back(std::move(one).value());  // one without a verified name has none to show
    }
    after = page->next;
  } while (after);
  return opened;
}

}  // namespace

Result<std::vector<PastEntry>> History::list_at(const std::string& path, std::int64_t at) {
  auto root = services_.vfs.resolve_path("/");
  if (!root) return std::move(root).error();
  auto names = vfs::cloud_path_names(path);
  if (!names) return std::move(names).error();
  PastFolder folder{root->id, root->key};
  for (const auto& name : *names) {
    auto entries = open_entries_at(services_.history, folder, at);
    if (!entries) return std::move(entries).error();
    auto it = std::find_if(entries->begin(), entries->end(), [&](const auto& e) { return e.name == name; });
    if (it == entries->end()) return make_error(Errc::not_found, path + ": no " + name + " at that time");
    if (it->node->broken) return *it->node->broken;
    if (it->node->type != remote::NodeType::folder) return make_error(Errc::not_a_directory, path + ": " + name + " is not a folder");
    folder = PastFolder{it->node->id, it->node->key};
  }
  auto entries = open_entries_at(services_.history, folder, at);
  if (!entries) return std::move(entries).error();
  std::vector<PastEntry> listed;
  for (const auto& entry : *entries) {
    const vfs::Node& node = *entry.node;
    PastEntry past{entry.name, node.type, node.server_version, std::nullopt, node.attrs.mtime, {}};
    if (node.broken) {
      past.error = node.broken->message;
    } else if (node.type != remote::NodeType::file) {
      past.size = node.size;
    } else if (node.server_version == 0) {
      past.size = 0;
    } else if (auto old = manifest(node.id, node.key, node.server_version)) {
      past.size = old->size;
    } else {
      past.error = old.error().message;
    }
    listed.push_back(std::move(past));
  }
  return listed;
}

}  // namespace coffer::history
