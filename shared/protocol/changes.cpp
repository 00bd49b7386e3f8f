#include "protocol/changes.hpp"

#include "protocol/nodes.hpp"

namespace coffer::protocol {

const std::vector<std::string_view>& change_kinds() {
  static const std::vector<std::string_view> kinds{"created", "entry_added", "entry_removed", "moved",
                                                   "attributes", "version", "trashed", "purged"};
  return kinds;
}

Result<Change> Change::from_json(const Json& value, const std::string& path) {
  Change out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.number("cursor", out.cursor);
  in.text("node_id", out.node_id, node_id_rule());
  in.optional_text("parent_id", out.parent_id, node_id_rule());
  in.choice("kind", out.kind, change_kinds());
  in.boolean("own", out.own);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const Change& value) {
  out = Json{{"cursor", value.cursor},
             {"node_id", value.node_id},
             {"parent_id", value.parent_id ? Json(*value.parent_id) : Json(nullptr)},
             {"kind", value.kind},
             {"own", value.own}};
}

Result<ChangePage> ChangePage::from_json(const Json& value, const std::string& path) {
  ChangePage out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.object_array("changes", out.changes, SIZE_MAX, Change::from_json);
  in.number("cursor", out.cursor);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const ChangePage& value) { out = Json{{"changes", value.changes}, {"cursor", value.cursor}}; }

}  // namespace coffer::protocol
