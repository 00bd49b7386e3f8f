#include "protocol/folders.hpp"

#include <set>

#include "protocol/limits.hpp"
#include "protocol/nodes.hpp"

namespace coffer::protocol {

const TextRule& folder_record_rule() {
  static const TextRule rule = TextRule::base64url(1, kMaxFolderRecordBytes);
  return rule;
}

Result<FolderUpdate> FolderUpdate::from_json(const Json& value, const std::string& path) {
  FolderUpdate out;
  ObjectReader in(value, path, UnknownFields::refuse);
  in.text("node_id", out.node_id, node_id_rule());
  in.number("base_revision", out.base_revision);
  in.number("revision", out.revision);
  in.text("record", out.record, folder_record_rule());
  COFFER_TRY_STATUS(in.finish());
  if (out.revision != out.base_revision + 1) {
    return make_error(Errc::invalid_argument, in.path_of("revision") + ": must be base_revision + 1");
  }
  return out;
}

void to_json(Json& out, const FolderUpdate& value) {
  out = Json{{"node_id", value.node_id},
             {"base_revision", value.base_revision},
             {"revision", value.revision},
             {"record", value.record}};
}

void read_folder_updates(ObjectReader& in, std::vector<FolderUpdate>& out, std::size_t max_items) {
  in.object_array("folders", out, max_items, FolderUpdate::from_json);
}

Result<std::vector<FolderUpdate>> take_folder_updates(Json& body) {
  COFFER_TRY_STATUS(expect_object(body, ""));
  std::vector<FolderUpdate> updates;
  if (!body.contains("folders")) return updates;
  {
    ObjectReader in(body, "", UnknownFields::ignore);
    read_folder_updates(in, updates, kMaxFolderUpdates);
    COFFER_TRY_STATUS(in.finish());
  }
  body.erase("folders");
  COFFER_TRY_STATUS(check_distinct_folders(updates));
  return updates;
}

Status check_distinct_folders(const std::vector<FolderUpdate>& updates) {
  std::set<std::string> seen;
  for (const auto& update : updates) {
    if (!seen.insert(update.node_id).second) {
      return make_error(Errc::invalid_argument, "folders: folder " + update.node_id + " is named twice");
    }
  }
  return {};
}

Result<FolderState> FolderState::from_json(const Json& value, const std::string& path) {
  FolderState out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.number("revision", out.revision);
  in.text("record", out.record, TextRule::base64url(0, kMaxFolderRecordBytes));
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const FolderState& value) {
  out = Json{{"revision", value.revision}, {"record", value.record}};
}

}  // namespace coffer::protocol
