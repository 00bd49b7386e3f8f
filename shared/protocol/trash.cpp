#include "protocol/trash.hpp"

namespace coffer::protocol {

Result<TrashItem> TrashItem::from_json(const Json& value, const std::string& path) {
  TrashItem out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.object("node", out.node, Node::from_json);
  in.number("trashed_at", out.trashed_at);
  in.text("parent_id", out.parent_id, node_id_rule());
  in.text("name", out.name, name_rule());
  in.text("name_tag", out.name_tag, name_tag_rule());
  in.text("wrapped_key", out.wrapped_key, wrapped_key_rule());
  in.boolean("parent_in_trash", out.parent_in_trash);
  in.text("owner", out.owner, TextRule::user_name());
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const TrashItem& value) {
  out = Json{{"node", value.node},         {"trashed_at", value.trashed_at},   {"parent_id", value.parent_id},
             {"name", value.name},         {"name_tag", value.name_tag},       {"wrapped_key", value.wrapped_key},
             {"parent_in_trash", value.parent_in_trash}, {"owner", value.owner}};
}

Result<TrashPage> TrashPage::from_json(const Json& value, const std::string& path) {
  TrashPage out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.object_array("items", out.items, SIZE_MAX, TrashItem::from_json);
  in.optional_text("next", out.next, node_id_rule());
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const TrashPage& value) {
  out = Json{{"items", value.items}, {"next", value.next ? Json(*value.next) : Json(nullptr)}};
}

Result<EmptyTrashRequest> EmptyTrashRequest::from_json(const Json& value, const std::string& path) {
  EmptyTrashRequest out;
  ObjectReader in(value, path, UnknownFields::refuse);
  in.optional_number("older_than", out.older_than);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const EmptyTrashRequest& value) {
  out = Json{{"older_than", value.older_than ? Json(*value.older_than) : Json(nullptr)}};
}

Result<EmptyTrashResponse> EmptyTrashResponse::from_json(const Json& value, const std::string& path) {
  EmptyTrashResponse out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.number("purged", out.purged);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const EmptyTrashResponse& value) { out = Json{{"purged", value.purged}}; }

}  // namespace coffer::protocol
