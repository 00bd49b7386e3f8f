#include "protocol/nodes.hpp"

#include "protocol/formats.hpp"
#include "protocol/limits.hpp"

namespace coffer::protocol {

const TextRule& node_id_rule() {
  static const TextRule rule = TextRule::hex(kNodeIdLength);
  return rule;
}
const TextRule& name_rule() {
  static const TextRule rule = TextRule::fernet_token(kMaxNameTokenChars);
  return rule;
}
const TextRule& name_tag_rule() {
  static const TextRule rule = TextRule::hex(kNameTagLength);
  return rule;
}
const TextRule& wrapped_key_rule() {
  static const TextRule rule = TextRule::base64url(kMinWrappedKeyBytes, kMaxWrappedKeyBytes);
  return rule;
}
const TextRule& attributes_rule() {
  static const TextRule rule = TextRule::base64url(1, kMaxAttributesBytes);
  return rule;
}
const std::vector<std::string_view>& node_types() {
  static const std::vector<std::string_view> types{"file", "folder", "symlink", "special"};
  return types;
}

Result<Node> Node::from_json(const Json& value, const std::string& path) {
  Node out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.text("node_id", out.node_id, node_id_rule());
  in.choice("type", out.type, node_types());
  in.text("owner", out.owner, TextRule::user_name());
  in.text("attributes", out.attributes, attributes_rule());
  in.number("attributes_revision", out.attributes_revision);
  in.number("version", out.version);
  in.number("size", out.size);
  in.number("nlink", out.nlink);
  in.number("folder_revision", out.folder_revision);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const Node& value) {
  out = Json{{"node_id", value.node_id},
             {"type", value.type},
             {"owner", value.owner},
             {"attributes", value.attributes},
             {"attributes_revision", value.attributes_revision},
             {"version", value.version},
             {"size", value.size},
             {"nlink", value.nlink},
             {"folder_revision", value.folder_revision}};
}

Result<Entry> Entry::from_json(const Json& value, const std::string& path) {
  Entry out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.text("parent_id", out.parent_id, node_id_rule());
  in.text("name", out.name, name_rule());
  in.text("name_tag", out.name_tag, name_tag_rule());
  in.text("wrapped_key", out.wrapped_key, wrapped_key_rule());
  in.object("node", out.node, Node::from_json);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const Entry& value) {
  out = Json{{"parent_id", value.parent_id},
             {"name", value.name},
             {"name_tag", value.name_tag},
             {"wrapped_key", value.wrapped_key},
             {"node", value.node}};
}

void CreateNodeRequest::read(ObjectReader& in, CreateNodeRequest& out) {
  in.text("node_id", out.node_id, node_id_rule());
  in.choice("type", out.type, node_types());
  in.text("parent_id", out.parent_id, node_id_rule());
  in.text("name", out.name, name_rule());
  in.text("name_tag", out.name_tag, name_tag_rule());
  in.text("wrapped_key", out.wrapped_key, wrapped_key_rule());
  in.text("attributes", out.attributes, attributes_rule());
  in.number("attributes_revision", out.attributes_revision);
}

Result<CreateNodeRequest> CreateNodeRequest::from_json(const Json& value, const std::string& path) {
  CreateNodeRequest out;
  ObjectReader in(value, path, UnknownFields::refuse);
  read(in, out);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const CreateNodeRequest& value) {
  out = Json{{"node_id", value.node_id},         {"type", value.type},
             {"parent_id", value.parent_id},     {"name", value.name},
             {"name_tag", value.name_tag},       {"wrapped_key", value.wrapped_key},
             {"attributes", value.attributes}, {"attributes_revision", value.attributes_revision}};
}

Result<EntryPage> EntryPage::from_json(const Json& value, const std::string& path) {
  EntryPage out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.object_array("entries", out.entries, SIZE_MAX, Entry::from_json);
  in.optional_text("next", out.next, name_tag_rule());
  in.object("folder", out.folder, FolderState::from_json);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const EntryPage& value) {
  out = Json{{"entries", value.entries},
             {"next", value.next ? Json(*value.next) : Json(nullptr)},
             {"folder", value.folder}};
}

Result<PastEntryPage> PastEntryPage::from_json(const Json& value, const std::string& path) {
  PastEntryPage out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.object_array("entries", out.entries, SIZE_MAX, Entry::from_json);
  in.optional_text("next", out.next, name_tag_rule());
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const PastEntryPage& value) {
  out = Json{{"entries", value.entries},
             {"next", value.next ? Json(*value.next) : Json(nullptr)},
             {"folder", nullptr}};
}

void LinkRequest::read(ObjectReader& in, LinkRequest& out) {
  in.text("parent_id", out.parent_id, node_id_rule());
  in.text("name", out.name, name_rule());
  in.text("name_tag", out.name_tag, name_tag_rule());
  in.text("wrapped_key", out.wrapped_key, wrapped_key_rule());
}

Result<LinkRequest> LinkRequest::from_json(const Json& value, const std::string& path) {
  LinkRequest out;
  ObjectReader in(value, path, UnknownFields::refuse);
  read(in, out);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const LinkRequest& value) {
  out = Json{{"parent_id", value.parent_id},
             {"name", value.name},
             {"name_tag", value.name_tag},
             {"wrapped_key", value.wrapped_key}};
}

void MoveRequest::read(ObjectReader& in, MoveRequest& out) {
  in.text("new_parent_id", out.new_parent_id, node_id_rule());
  in.text("name", out.name, name_rule());
  in.text("name_tag", out.name_tag, name_tag_rule());
  in.text("wrapped_key", out.wrapped_key, wrapped_key_rule());
  in.choice("mode", out.mode, {"noreplace", "replace", "exchange"});
  in.optional_text("exchange_name", out.exchange_name, name_rule());
  in.optional_text("exchange_name_tag", out.exchange_name_tag, name_tag_rule());
  in.optional_text("exchange_wrapped_key", out.exchange_wrapped_key, wrapped_key_rule());
}

Status MoveRequest::check() const {
  const bool has_exchange = exchange_name || exchange_name_tag || exchange_wrapped_key;
  const bool complete_exchange = exchange_name && exchange_name_tag && exchange_wrapped_key;
  if (mode == "exchange" && !complete_exchange) {
    return make_error(Errc::invalid_argument,
                      "mode exchange needs exchange_name, exchange_name_tag and exchange_wrapped_key");
  }
  if (mode != "exchange" && has_exchange) {
    return make_error(Errc::invalid_argument, "exchange_* fields are only for mode exchange");
  }
  return {};
}

Result<MoveRequest> MoveRequest::from_json(const Json& value, const std::string& path) {
  MoveRequest out;
  ObjectReader in(value, path, UnknownFields::refuse);
  read(in, out);
  COFFER_TRY_STATUS(in.finish());
  COFFER_TRY_STATUS(out.check());
  return out;
}

void to_json(Json& out, const MoveRequest& value) {
  out = Json{{"new_parent_id", value.new_parent_id},
             {"name", value.name},
             {"name_tag", value.name_tag},
             {"wrapped_key", value.wrapped_key},
             {"mode", value.mode}};
  if (value.exchange_name) out["exchange_name"] = *value.exchange_name;
  if (value.exchange_name_tag) out["exchange_name_tag"] = *value.exchange_name_tag;
  if (value.exchange_wrapped_key) out["exchange_wrapped_key"] = *value.exchange_wrapped_key;
}

Result<RemoveRequest> RemoveRequest::from_json(const Json& value, const std::string& path) {
  ObjectReader in(value, path, UnknownFields::refuse);
  COFFER_TRY_STATUS(in.finish());
  return RemoveRequest{};
}

void SetAttributesRequest::read(ObjectReader& in, SetAttributesRequest& out) {
  in.text("attributes", out.attributes, attributes_rule());
  in.number("revision", out.revision);
  in.number("base_revision", out.base_revision);
}

Status SetAttributesRequest::check() const {
  if (revision <= base_revision) return make_error(Errc::invalid_argument, "revision must be greater than base_revision");
  return {};
}

Result<SetAttributesRequest> SetAttributesRequest::from_json(const Json& value, const std::string& path) {
  SetAttributesRequest out;
  ObjectReader in(value, path, UnknownFields::refuse);
  read(in, out);
  COFFER_TRY_STATUS(in.finish());
  COFFER_TRY_STATUS(out.check());
  return out;
}

void to_json(Json& out, const SetAttributesRequest& value) {
  out = Json{{"attributes", value.attributes}, {"revision", value.revision}, {"base_revision", value.base_revision}};
}

}  // namespace coffer::protocol
