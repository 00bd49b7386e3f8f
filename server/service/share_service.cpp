#include "server/service/share_service.hpp"

#include <algorithm>

#include "server/acl/access_check.hpp"
#include "server/service/grant_changes.hpp"
#include "server/service/quota.hpp"
#include "server/service/transactions.hpp"
#include "server/service/tree_ops.hpp"
#include "server/service/views.hpp"

namespace coffer::server::service {
namespace {

using storage::Access;
using storage::Transaction;

Error no_such_grant() { return make_error(Errc::not_found, "no such grant"); }

// A node the caller may share, with its owner's account.
struct Shareable {
  storage::NodeRecord node;
  storage::UserRecord owner;
};

// The node must be one the caller manages, live, a file or a folder, and not a root folder.
Result<Shareable> shareable_node(Transaction& txn, const Caller& caller, const std::string& node_id) {
  auto node = txn.nodes().find(node_id);
  if (!node) return node.error();
  if (!*node) return make_error(Errc::not_found, "no such node");
  auto access = acl::effective_access(txn, caller.user_id, **node);
  if (!access) return access.error();
  if (!*access) return make_error(Errc::not_found, "no such node");
  if ((*node)->trashed_at) return make_error(Errc::not_found, "the node is in the trash");
  if (**access != Access::manage) {
    return make_error(Errc::permission_denied, "sharing needs the manage role on the node (or owning it)");
  }
  const auto type = (*node)->type;
  if (type != storage::NodeType::file && type != storage::NodeType::folder) {
    return make_error(Errc::invalid_argument, "only files and folders can be shared");
  }
  auto owner = txn.users().find_by_id((*node)->owner_id);
  if (!owner) return owner.error();
  if (!*owner) return make_error(Errc::not_found, "no such node");
  if ((*owner)->root_node_id == node_id) return make_error(Errc::invalid_argument, "a root folder cannot be shared");
  return Shareable{std::move(**node), std::move(**owner)};
}

// A user who can receive a grant: one who exists and is enabled (a pending invite is no user yet).
Result<storage::UserRecord> grantee_named(Transaction& txn, const std::string& name) {
  auto user = txn.users().find_by_name(name);
  if (!user) return user.error();
  if (!*user || (*user)->disabled) return make_error(Errc::not_found, "no such user");
  return std::move(**user);
}

Result<bool> readable(Transaction& txn, std::int64_t user_id, const std::string& node_id) {
  auto node = acl::check_access(txn, user_id, node_id, Access::read);
  if (node) return true;
  if (node.error().code == Errc::not_found) return false;
  return node.error();
}

// The entries from the top of what the user can read down to the node's own entry, topmost
// first: an entry is on the path when the user can read the folder it is in (through any
// entry of a hard-linked file). For the owner it starts in their root folder; for a grantee of
// the node itself it is empty.
Result<std::vector<protocol::Entry>> path_to(Transaction& txn, std::int64_t user_id, const std::string& node_id) {
  std::vector<protocol::Entry> path;
  std::string current = node_id;
  for (;;) {
    auto entries = txn.nodes().entries_of(current);
    if (!entries) return entries.error();
    const storage::EntryRecord* above = nullptr;
    for (const auto& entry : *entries) {
      auto visible = readable(txn, user_id, entry.parent_id);
      if (!visible) return visible.error();
      if (*visible) {
        above = &entry;
        break;
      }
    }
    if (above == nullptr) break;
    if (path.size() == protocol::kMaxPathEntries) return make_error(Errc::internal, "the folder tree is too deep");
    auto view = entry_view(txn, *above);
    if (!view) return view.error();
    path.push_back(std::move(*view));
    current = above->parent_id;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

// SHARE as the admin listing shows it: names, role and time only.
protocol::Share bare_share(const storage::GrantListing& listing) {
  protocol::Share share;
  share.node_id = listing.grant.node_id;
  share.owner = listing.owner;
  share.grantee = listing.grantee;
  share.role = storage::access_name(listing.grant.access);
  share.granted_by = listing.granted_by;
  share.created_at = listing.grant.created_at;
  return share;
}

// SHARE as a user sees it: with the sealed grant, the node and, when `with_path`, the path.
Result<protocol::Share> full_share(Transaction& txn, const Caller& caller, const storage::GrantListing& listing,
                                   bool with_path) {
  protocol::Share share = bare_share(listing);
  share.sealed_key = listing.grant.wrapped_key;
  auto node = txn.nodes().find(listing.grant.node_id);
  if (!node) return node.error();
  if (!*node) return make_error(Errc::not_found, "no such node");
  auto view = node_view(txn, **node);
  if (!view) return view.error();
  share.node = std::move(*view);
  if (with_path) {
    auto path = path_to(txn, caller.user_id, listing.grant.node_id);
    if (!path) return path.error();
    share.path = std::move(*path);
  }
  return share;
}

// The outgoing list: grants on the caller's live nodes, and those they made on others' live
// nodes that they can still read.
Result<std::vector<protocol::Share>> outgoing(Transaction& txn, const Caller& caller) {
  auto listings = txn.grants().list_outgoing(caller.user_id, protocol::kMaxShareList);
  if (!listings) return listings.error();
  std::vector<protocol::Share> shares;
  for (const auto& listing : *listings) {
    if (listing.node_trashed) continue;
    if (listing.owner_id != caller.user_id) {
      auto visible = readable(txn, caller.user_id, listing.grant.node_id);
      if (!visible) return visible.error();
      if (!*visible) continue;
    }
    auto share = full_share(txn, caller, listing, true);
    if (!share) return share.error();
    shares.push_back(std::move(*share));
  }
  return shares;
}

Result<std::vector<protocol::Share>> incoming(Transaction& txn, const Caller& caller) {
  auto listings = txn.grants().list_incoming(caller.user_id, protocol::kMaxShareList);
  if (!listings) return listings.error();
  std::vector<protocol::Share> shares;
  for (const auto& listing : *listings) {
    if (listing.node_trashed) continue;
    auto share = full_share(txn, caller, listing, false);
    if (!share) return share.error();
    shares.push_back(std::move(*share));
  }
  return shares;
}

// The one listing of a grant that exists.
Result<storage::GrantListing> listing_of(Transaction& txn, const Shareable& shareable, const storage::UserRecord& grantee) {
  auto grant = txn.grants().find(shareable.node.id, grantee.id);
  if (!grant) return grant.error();
  if (!*grant) return no_such_grant();
  auto granter = txn.users().find_by_id((*grant)->granted_by);
  if (!granter) return granter.error();
  return storage::GrantListing{std::move(**grant), shareable.owner.id, shareable.owner.name, grantee.name,
                               *granter ? (*granter)->name : std::string(), false};
}

}  // namespace

Outcome<ShareService::Granted> ShareService::grant(const Caller& caller, const protocol::ShareRequest& request) {
  const Access role = storage::access_from_name(request.role).value_or(Access::read);
  const std::int64_t now = context_.clock();
  return in_write<Granted>(context_, [&](Transaction& txn) -> Outcome<Granted> {
    auto shareable = shareable_node(txn, caller, request.node_id);
    if (!shareable) return shareable.error();
    if (request.grantee == caller.user) return make_error(Errc::invalid_argument, "you cannot share with yourself");
    if (request.grantee == shareable->owner.name) {
      return make_error(Errc::invalid_argument, "the grantee owns the node and has every right to it");
    }
    auto grantee = grantee_named(txn, request.grantee);
    if (!grantee) return grantee.error();
    const storage::GrantRecord record{request.node_id, grantee->id, role, request.sealed_key, now, caller.user_id};
    auto created = txn.grants().upsert(record);
    if (!created) {
      // The grant is charged to the node's owner: a manager learns nothing of their numbers.
      if (created.error().code != Errc::quota_exceeded) return created.error();
      if (shareable->owner.id != caller.user_id) return make_error(Errc::quota_exceeded, "over the quota of the node's owner");
      auto refused = quota_exceeded(txn, caller.user_id);
      return Outcome<Granted>(refused.error(), refused.details());
    }
    COFFER_TRY_STATUS(record_change(txn, caller, grantee->id, request.node_id, std::nullopt, kSharedKind, now));
    const std::string detail = grant_detail(request.node_id, grantee->name, role, caller.user);
    COFFER_TRY_STATUS(txn.audit().append(
        storage::AuditRecord{0, now, *created ? "share_granted" : "share_changed", caller.user, caller.address, detail}));
    auto listing = listing_of(txn, *shareable, *grantee);
    if (!listing) return listing.error();
    auto share = full_share(txn, caller, *listing, true);
    if (!share) return share.error();
    return Granted{std::move(*share), *created};
  });
}

Outcome<Done> ShareService::revoke(const Caller& caller, const std::string& node_id, const std::string& grantee_name) {
  const std::int64_t now = context_.clock();
  return in_write<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
    // A grantee may always leave; anyone else needs the manage role on the node.
    if (grantee_name != caller.user) {
      auto node = acl::check_access(txn, caller.user_id, node_id, Access::manage);
      if (!node) return node.error();
    }
    auto grantee = txn.users().find_by_name(grantee_name);
    if (!grantee) return grantee.error();
    if (!*grantee) return no_such_grant();
    auto grant = txn.grants().find(node_id, (*grantee)->id);
    if (!grant) return grant.error();
    if (!*grant) return no_such_grant();
    COFFER_TRY_STATUS(remove_grant(txn, caller, node_id, (*grantee)->id, now));
    const std::string detail = grant_detail(node_id, grantee_name, (*grant)->access, caller.user);
    COFFER_TRY_STATUS(
        txn.audit().append(storage::AuditRecord{0, now, "share_revoked", caller.user, caller.address, detail}));
    return Done{};
  });
}

Outcome<protocol::ShareLists> ShareService::list(const Caller& caller) {
  return in_read<protocol::ShareLists>(context_, [&](Transaction& txn) -> Outcome<protocol::ShareLists> {
    auto out = outgoing(txn, caller);
    if (!out) return out.error();
    auto in = incoming(txn, caller);
    if (!in) return in.error();
    return protocol::ShareLists{std::move(*out), std::move(*in)};
  });
}

Outcome<protocol::AdminShareList> ShareService::admin_list(const std::optional<std::string>& user) {
  return in_read<protocol::AdminShareList>(context_, [&](Transaction& txn) -> Outcome<protocol::AdminShareList> {
    std::optional<std::int64_t> user_id;
    if (user) {
      auto found = txn.users().find_by_name(*user);
      if (!found) return found.error();
      if (!*found) return make_error(Errc::not_found, "no user named " + *user);
      user_id = (*found)->id;
    }
    auto listings = txn.grants().list_involving(user_id, protocol::kMaxShareList);
    if (!listings) return listings.error();
    protocol::AdminShareList list;
    for (const auto& listing : *listings) list.shares.push_back(bare_share(listing));
    return list;
  });
}

Outcome<Done> ShareService::admin_revoke(const Actor& actor, const std::string& node_id, const std::string& grantee_name) {
  const std::int64_t now = context_.clock();
  return in_write<Done>(context_, [&](Transaction& txn) -> Outcome<Done> {
    auto grantee = txn.users().find_by_name(grantee_name);
    if (!grantee) return grantee.error();
    if (!*grantee) return make_error(Errc::not_found, "no user named " + grantee_name);
    auto grant = txn.grants().find(node_id, (*grantee)->id);
    if (!grant) return grant.error();
    if (!*grant) return make_error(Errc::not_found, "no grant of node " + node_id + " to " + grantee_name);
    COFFER_TRY_STATUS(remove_grant(txn, Caller{}, node_id, (*grantee)->id, now));
    const std::string detail = grant_detail(node_id, grantee_name, (*grant)->access, actor.name);
    COFFER_TRY_STATUS(
        txn.audit().append(storage::AuditRecord{0, now, "admin_share_revoke", grantee_name, actor.address, detail}));
    return Done{};
  });
}

}  // namespace coffer::server::service
