#include "sharing/share_manager.hpp"

#include <algorithm>

#include "crypto/entry_seal.hpp"
#include "crypto/grant_seal.hpp"

namespace coffer::sharing {
namespace {

Result<vfs::NodeRef> shareable(vfs::Vfs& vfs, const std::string& path) {
  auto node = vfs.resolve_path(path);
  if (!node) return node;
  if (node->parent_id.empty()) return make_error(Errc::invalid_argument, "the root folder cannot be shared: share a folder in it");
  if (node->type != remote::NodeType::file && node->type != remote::NodeType::folder) {
    return make_error(Errc::invalid_argument, path + ": only files and folders can be shared");
  }
  return node;
}

// Opens one entry of a share's path under its folder's key: the name, checked against its tag,
// and the node's key, checked against the folder, node and tag it was sealed with.
Result<std::pair<std::string, crypto::FernetKey>> open_step(const crypto::FernetKey& folder_key,
                                                            const remote::EntryInfo& entry) {
  auto name = crypto::decrypt_name(folder_key, entry.name);
  if (!name) return std::move(name).error();
  if (crypto::name_tag(folder_key, *name) != entry.name_tag) {
    return make_error(Errc::integrity, "an entry's name does not match its tag");
  }
  auto key = crypto::open_entry_key(folder_key, {entry.parent_id, entry.node.node_id, entry.name_tag}, entry.wrapped_key);
  if (!key) return std::move(key).error();
  return std::make_pair(std::move(*name), std::move(*key));
}

}  // namespace

Result<ShareMade> ShareManager::share(const std::string& path, const std::string& grantee, remote::ShareRole role) {
  if (grantee == services_.user) return make_error(Errc::invalid_argument, "you cannot share with yourself");
  auto node = shareable(services_.vfs, path);
  if (!node) return std::move(node).error();
  auto info = services_.remote.get_node(node->id);
  if (!info) return std::move(info).error();
  auto public_key = services_.shares.public_key(grantee);
  if (!public_key) {
    if (public_key.error().code == Errc::not_found) return make_error(Errc::not_found, "no user " + grantee);
    return std::move(public_key).error();
  }
  auto sighting = services_.known_keys.check(grantee, *public_key);
  if (!sighting) return std::move(sighting).error();
  const crypto::GrantPayload payload{node->id, info->owner, grantee, node->name,
                                     node->type == remote::NodeType::folder, node->key};
  auto sealed = crypto::seal_grant(services_.identity, *public_key, payload);
  if (!sealed) return std::move(sealed).error();
  auto made = services_.shares.put_share(node->id, grantee, role, *sealed);
  if (!made) return std::move(made).error();
  return ShareMade{std::move(*made), crypto::key_fingerprint(*public_key), *sighting};
}

Status ShareManager::unshare(const std::string& path, const std::string& grantee) {
  auto node = services_.vfs.resolve_path(path);
  if (!node) return std::move(node).error();
  auto removed = services_.shares.delete_share(node->id, grantee);
  if (!removed && removed.error().code == Errc::not_found) {
    return make_error(Errc::not_found, path + " is not shared with " + grantee);
  }
  return removed;
}

std::string ShareManager::open_path(const remote::ShareInfo& share, const vfs::NodeRef& root,
                                    const std::vector<IncomingShare>& incoming, std::string& error) {
  if (share.path.empty() || share.path.back().node.node_id != share.node_id) {
    error = "the server listed no path to the shared node";
    return {};
  }
  std::optional<crypto::FernetKey> key;
  std::string path;
  const std::string& top = share.path.front().parent_id;
  if (root.id == top) {
    key = root.key;
  } else if (const auto mine = std::find_if(incoming.begin(), incoming.end(),
                                            [&](const IncomingShare& share) { return share.node_id == top; });
             mine != incoming.end()) {
    key = mine->key;
    path = "/Shared with me/" + mine->owner + "/" + mine->name;
  }
  if (!key) {
    error = "the path starts in a folder this profile has no key for";
    return {};
  }
  std::string parent = top;
  for (const auto& entry : share.path) {
    if (entry.parent_id != parent) {
      error = "the path the server listed is not a chain of folders";
      return {};
    }
    auto step = open_step(*key, entry);
    if (!step) {
      error = step.error().message;
      return {};
    }
    path += "/" + step->first;
    key = std::move(step->second);
    parent = entry.node.node_id;
  }
  return path;
}

Result<ShareListing> ShareManager::list() {
  auto lists = services_.shares.list_shares();
  if (!lists) return std::move(lists).error();
  auto incoming = services_.incoming.list();
  if (!incoming) return std::move(incoming).error();
  auto root = services_.vfs.resolve_path("/");
  if (!root) return std::move(root).error();
  ShareListing listing;
  for (auto& share : lists->outgoing) {
    ShareLine line{std::move(share), {}, {}};
    line.path = open_path(line.share, *root, *incoming, line.error);
    listing.outgoing.push_back(std::move(line));
  }
  for (auto& share : lists->incoming) {
    ShareLine line{std::move(share), {}, {}};
    const auto opened = std::find_if(incoming->begin(), incoming->end(),
                                     [&](const IncomingShare& mine) { return mine.node_id == line.share.node_id; });
    if (opened == incoming->end()) {
      line.error = "the grant did not open (see the log)";
    } else {
      line.path = "/Shared with me/" + opened->owner + "/" + opened->name;
    }
    listing.incoming.push_back(std::move(line));
  }
  return listing;
}

}  // namespace coffer::sharing
