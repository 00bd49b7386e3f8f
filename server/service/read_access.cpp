#include "server/service/read_access.hpp"

#include "server/acl/access_check.hpp"
#include "server/acl/link_access.hpp"

namespace coffer::server::service {
namespace {

// How many referencing nodes a blob read by a link checks (as content_service.cpp).
constexpr std::size_t kMaxReferencesChecked = 64;

Result<storage::LinkRecord> live_link(storage::Transaction& txn, const LinkAccess& link) {
  auto found = txn.links().find(link.link_id);
  if (!found) return found.error();
  if (!*found) return make_error(Errc::not_found, "the link was revoked");
  return std::move(**found);
}

}  // namespace

Result<storage::NodeRecord> check_read(storage::Transaction& txn, const Caller& caller, const std::string& node_id) {
  if (!caller.link) return acl::check_access(txn, caller.user_id, node_id, storage::Access::read);
  auto link = live_link(txn, *caller.link);
  if (!link) return link.error();
  return acl::check_link_access(txn, *link, node_id);
}

Result<bool> link_reads_blob(storage::Transaction& txn, const LinkAccess& access, const std::string& blob_id) {
  auto link = live_link(txn, access);
  if (!link) return link.error();
  auto root = acl::check_link_usable(txn, *link);
  if (!root) return root.error();
  // The current version only: a link shares what the file is now, not its history.
  auto nodes = txn.content().nodes_currently_referencing(blob_id, kMaxReferencesChecked);
  if (!nodes) return nodes.error();
  for (const auto& node_id : *nodes) {
    auto reaches = acl::link_reaches(txn, *link, node_id);
    if (!reaches) return reaches.error();
    if (*reaches) return true;
  }
  return false;
}

}  // namespace coffer::server::service
