#include "protocol/shares.hpp"

namespace coffer::protocol {

const std::vector<std::string_view>& share_roles() {
  static const std::vector<std::string_view> roles{"read", "write", "manage"};
  return roles;
}

const TextRule& sealed_grant_rule() {
  static const TextRule rule = TextRule::base64url(kMinSealedGrantBytes, kMaxSealedGrantBytes);
  return rule;
}

Result<Share> Share::from_json(const Json& value, const std::string& path) {
  Share out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.text("node_id", out.node_id, node_id_rule());
  in.text("owner", out.owner, TextRule::user_name());
  in.text("grantee", out.grantee, TextRule::user_name());
  in.choice("role", out.role, share_roles());
  in.text("granted_by", out.granted_by, TextRule::user_name());
  in.number("created_at", out.created_at);
  in.optional_text("sealed_key", out.sealed_key, sealed_grant_rule());
  in.optional_object("node", out.node, Node::from_json);
  if (value.contains("path")) in.object_array("path", out.path, kMaxPathEntries, Entry::from_json);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const Share& value) {
  out = Json{{"node_id", value.node_id}, {"owner", value.owner},           {"grantee", value.grantee},
             {"role", value.role},       {"granted_by", value.granted_by}, {"created_at", value.created_at}};
  if (value.sealed_key) out["sealed_key"] = *value.sealed_key;
  if (value.node) out["node"] = *value.node;
  if (value.sealed_key || value.node) out["path"] = value.path;
}

Result<ShareRequest> ShareRequest::from_json(const Json& value, const std::string& path) {
  ShareRequest out;
  ObjectReader in(value, path, UnknownFields::refuse);
  in.text("node_id", out.node_id, node_id_rule());
  in.text("grantee", out.grantee, TextRule::user_name());
  in.choice("role", out.role, share_roles());
  in.text("sealed_key", out.sealed_key, sealed_grant_rule());
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const ShareRequest& value) {
  out = Json{{"node_id", value.node_id},
             {"grantee", value.grantee},
             {"role", value.role},
             {"sealed_key", value.sealed_key}};
}

Result<ShareLists> ShareLists::from_json(const Json& value, const std::string& path) {
  ShareLists out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.object_array("outgoing", out.outgoing, kMaxShareList, Share::from_json);
  in.object_array("incoming", out.incoming, kMaxShareList, Share::from_json);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const ShareLists& value) {
  out = Json{{"outgoing", value.outgoing}, {"incoming", value.incoming}};
}

Result<AdminShareList> AdminShareList::from_json(const Json& value, const std::string& path) {
  AdminShareList out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.object_array("shares", out.shares, kMaxShareList, Share::from_json);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const AdminShareList& value) { out = Json{{"shares", value.shares}}; }

}  // namespace coffer::protocol
