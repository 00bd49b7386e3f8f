#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/json_reader.hpp"
#include "protocol/nodes.hpp"

namespace coffer::protocol {

// One node of GET /v1/trash, with the entry that last held it: the client opens its name and
// key with the key of that folder (from the folder's own trash item when it is in the trash too).
struct TrashItem {
  Node node;
  std::int64_t trashed_at = 0;
  std::string parent_id;
  std::string name;
  std::string name_tag;
  std::string wrapped_key;
  bool parent_in_trash = false;  // that folder is in the trash, or purged
  std::string owner;  // the node's owner: the caller, or one who shared the folder it was in
  static Result<TrashItem> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const TrashItem& value);

// GET /v1/trash?after=NODE_ID&limit=N
struct TrashPage {
  std::vector<TrashItem> items;
  std::optional<std::string> next;  // the node id to pass as `after`, none at the end
  static Result<TrashPage> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const TrashPage& value);

// POST /v1/trash/empty
struct EmptyTrashRequest {
  std::optional<std::uint64_t> older_than;  // UNIX time; none: everything
  static Result<EmptyTrashRequest> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const EmptyTrashRequest& value);

struct EmptyTrashResponse {
  std::uint64_t purged = 0;  // nodes removed, trashed descendants included
  static Result<EmptyTrashResponse> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const EmptyTrashResponse& value);

}  // namespace coffer::protocol
