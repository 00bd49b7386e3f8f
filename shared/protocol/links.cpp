#include "protocol/links.hpp"

#include "protocol/formats.hpp"
#include "protocol/nodes.hpp"

namespace coffer::protocol {
namespace {

const TextRule kSealedKey = TextRule::base64url(1, kMaxSealedLinkKeyBytes);
const TextRule kLabel = TextRule::base64url(1, kMaxLinkLabelBytes);

void read_time(ObjectReader& in, std::string_view key, std::optional<std::int64_t>& out) {
  std::optional<std::uint64_t> value;
  in.optional_number(key, value);
  if (value) out = static_cast<std::int64_t>(*value);
}

Json optional_json(const auto& value) { return value ? Json(*value) : Json(nullptr); }

}  // namespace

const TextRule& link_id_rule() {
  static const TextRule rule = TextRule::base64url(kLinkIdBytes, kLinkIdBytes);
  return rule;
}

bool is_link_id(std::string_view text) { return !link_id_rule().check(text); }

const std::vector<std::string_view>& link_kinds() {
  static const std::vector<std::string_view> kinds{"file", "folder"};
  return kinds;
}

Result<LinkPassword> LinkPassword::from_json(const Json& value, const std::string& path) {
  LinkPassword out;
  ObjectReader in(value, path, UnknownFields::refuse);
  in.text("salt", out.salt, TextRule::base64url(kLinkSaltBytes, kLinkSaltBytes));
  in.object("kdf", out.kdf, KdfParams::from_json);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const LinkPassword& value) { out = Json{{"salt", value.salt}, {"kdf", value.kdf}}; }

Result<CreateLinkRequest> CreateLinkRequest::from_json(const Json& value, const std::string& path) {
  CreateLinkRequest out;
  ObjectReader in(value, path, UnknownFields::refuse);
  in.text("link_id", out.link_id, link_id_rule());
  in.text("node_id", out.node_id, node_id_rule());
  in.choice("kind", out.kind, link_kinds());
  in.text("sealed_key", out.sealed_key, kSealedKey);
  in.optional_object("password", out.password, LinkPassword::from_json);
  in.text("label", out.label, kLabel);
  read_time(in, "expires_at", out.expires_at);
  in.optional_number("max_downloads", out.max_downloads);
  COFFER_TRY_STATUS(in.finish());
  if (out.max_downloads && *out.max_downloads == 0) {
    return make_error(Errc::invalid_argument, in.path_of("max_downloads") + ": expected a whole number >= 1 or null");
  }
  return out;
}

void to_json(Json& out, const CreateLinkRequest& value) {
  out = Json{{"link_id", value.link_id},
             {"node_id", value.node_id},
             {"kind", value.kind},
             {"sealed_key", value.sealed_key},
             {"password", optional_json(value.password)},
             {"label", value.label},
             {"expires_at", optional_json(value.expires_at)},
             {"max_downloads", optional_json(value.max_downloads)}};
}

Result<CreateLinkResponse> CreateLinkResponse::from_json(const Json& value, const std::string& path) {
  CreateLinkResponse out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.text("link_id", out.link_id, link_id_rule());
  in.number("created_at", out.created_at);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const CreateLinkResponse& value) {
  out = Json{{"link_id", value.link_id}, {"created_at", value.created_at}};
}

Result<LinkSummary> LinkSummary::from_json(const Json& value, const std::string& path) {
  LinkSummary out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.text("link_id", out.link_id, link_id_rule());
  in.text("node_id", out.node_id, node_id_rule());
  in.choice("kind", out.kind, link_kinds());
  in.text("label", out.label, kLabel);
  in.number("created_at", out.created_at);
  read_time(in, "expires_at", out.expires_at);
  in.optional_number("max_downloads", out.max_downloads);
  in.number("downloads", out.downloads);
  in.boolean("password", out.password);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const LinkSummary& value) {
  out = Json{{"link_id", value.link_id},
             {"node_id", value.node_id},
             {"kind", value.kind},
             {"label", value.label},
             {"created_at", value.created_at},
             {"expires_at", optional_json(value.expires_at)},
             {"max_downloads", optional_json(value.max_downloads)},
             {"downloads", value.downloads},
             {"password", value.password}};
}

Result<LinkList> LinkList::from_json(const Json& value, const std::string& path) {
  LinkList out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.object_array("links", out.links, kMaxLinksPerUser * 10, LinkSummary::from_json);
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const LinkList& value) { out = Json{{"links", value.links}}; }

Result<LinkInfo> LinkInfo::from_json(const Json& value, const std::string& path) {
  LinkInfo out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.choice("kind", out.kind, link_kinds());
  in.optional_object("password", out.password, LinkPassword::from_json);
  read_time(in, "expires_at", out.expires_at);
  in.optional_number("max_downloads", out.max_downloads);
  in.number("downloads", out.downloads);
  in.text("owner", out.owner, TextRule::user_name());
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const LinkInfo& value) {
  out = Json{{"kind", value.kind},
             {"password", optional_json(value.password)},
             {"expires_at", optional_json(value.expires_at)},
             {"max_downloads", optional_json(value.max_downloads)},
             {"downloads", value.downloads},
             {"owner", value.owner}};
}

Result<LinkOpened> LinkOpened::from_json(const Json& value, const std::string& path) {
  LinkOpened out;
  ObjectReader in(value, path, UnknownFields::ignore);
  in.text("node_id", out.node_id, node_id_rule());
  in.choice("kind", out.kind, link_kinds());
  in.text("sealed_key", out.sealed_key, kSealedKey);
  in.text("token", out.token, TextRule::any(256));
  in.number("token_expires_at", out.token_expires_at);
  in.text("owner", out.owner, TextRule::user_name());
  COFFER_TRY_STATUS(in.finish());
  return out;
}

void to_json(Json& out, const LinkOpened& value) {
  out = Json{{"node_id", value.node_id},   {"kind", value.kind},
             {"sealed_key", value.sealed_key}, {"token", value.token},
             {"token_expires_at", value.token_expires_at}, {"owner", value.owner}};
}

}  // namespace coffer::protocol
