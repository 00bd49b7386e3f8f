#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "protocol/trash.hpp"
#include "server/service/caller.hpp"
#include "server/service/context.hpp"
#include "server/service/outcome.hpp"

namespace coffer::server::service {

// The trash (docs/api.md, "Trash"): listed, purged one tree at a time or emptied. Every node
// route reads a node in the trash as it reads a live one (its owner, or a grantee of the folder
// it was in, may look before restoring); a restore is a link (NodeService::link). The listing
// holds the caller's nodes and the nodes of others the caller may read; purging and emptying
// ask acl::check_own_trash or take only the caller's own nodes.
class TrashService {
 public:
  explicit TrashService(Context& context) : context_(context) {}

  // A page of at most `limit` items; `next` is the last node looked at, so a page may hold fewer
  // items than `limit` and still have a next one.
  Outcome<protocol::TrashPage> list(const Caller& caller, const std::string& after, std::size_t limit);
  // Removes the node and the nodes in the trash below it for good; Errc::not_found unless it is
  // the caller's and in the trash.
  Outcome<Done> purge(const Caller& caller, const std::string& node_id);
  // Purges the caller's nodes trashed before `older_than` (all when none), with the nodes in
  // the trash below each; the number of nodes purged.
  Outcome<protocol::EmptyTrashResponse> empty(const Caller& caller, std::optional<std::int64_t> older_than);

  struct Purged {
    std::uint64_t nodes = 0;  // trashed descendants included
    std::uint64_t versions = 0;
    std::uint64_t unreferenced_blobs = 0;  // listed by no version any more: gc frees them
    std::uint64_t unreferenced_bytes = 0;
  };
  // Trash expiry: every user's nodes trashed before `before` (cofferd's schedule and
  // `coffer-admin trash expire`). `dry_run` counts what would go and changes nothing.
  Outcome<Purged> expire(std::int64_t before, bool dry_run);

 private:
  // Purges the nodes trashed before `before` (of `owner` when given), a bounded number of trees
  // per write transaction so other writers get their turn. A dry run does it all in one
  // transaction that is rolled back.
  Outcome<Purged> purge_older(const Caller& by, std::optional<std::int64_t> owner, std::optional<std::int64_t> before,
                              bool dry_run);

  Context& context_;
};

}  // namespace coffer::server::service
