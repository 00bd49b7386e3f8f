#include "client/wire_json.hpp"

#include <stdexcept>

#include "crypto/encoding.hpp"

namespace coffer::client {

Bytes decode_b64(const nlohmann::json& value) {
  auto bytes = crypto::base64url_decode(value.get<std::string>());
  if (!bytes) throw std::invalid_argument("bad base64url value: " + bytes.error().message);
  return std::move(bytes).value();
}

std::string encode_b64(ByteView data) { return crypto::base64url_encode(data); }

nlohmann::json to_json(const crypto::KdfParams& params) {
  return {{"algorithm", params.algorithm}, {"n", params.n}, {"r", params.r}, {"p", params.p},
          {"salt", encode_b64(params.salt)}};
}

crypto::KdfParams kdf_from_json(const nlohmann::json& j) {
  crypto::KdfParams params;
  params.algorithm = j.at("algorithm").get<std::string>();
  params.n = j.at("n").get<std::uint64_t>();
  params.r = j.at("r").get<std::uint32_t>();
  params.p = j.at("p").get<std::uint32_t>();
  params.salt = decode_b64(j.at("salt"));
  return params;
}

void from_json(const nlohmann::json& j, Session& session) {
  session.token = j.at("token").get<std::string>();
  session.session_id = j.at("session_id").get<std::string>();
  session.expires_at = j.at("expires_at").get<std::int64_t>();
  session.user_id = j.at("user_id").get<std::int64_t>();
  session.admin = j.at("admin").get<bool>();
}

void from_json(const nlohmann::json& j, SessionInfo& session) {
  session.session_id = j.at("session_id").get<std::string>();
  session.device = j.at("device").get<std::string>();
  session.created_at = j.at("created_at").get<std::int64_t>();
  session.last_seen = j.at("last_seen").get<std::int64_t>();
  session.expires_at = j.at("expires_at").get<std::int64_t>();
  session.current = j.at("current").get<bool>();
}

void from_json(const nlohmann::json& j, Account& account) {
  account.user = j.at("user").get<std::string>();
  account.user_id = j.at("user_id").get<std::int64_t>();
  account.admin = j.at("admin").get<bool>();
  account.root_node_id = j.at("root_node_id").get<std::string>();
  account.key_bundle = decode_b64(j.at("key_bundle"));
  account.public_key = decode_b64(j.at("public_key"));
  account.root_wrapped_key = decode_b64(j.at("root_wrapped_key"));
  account.kdf = kdf_from_json(j.at("kdf"));
  if (j.contains("quota") && !j.at("quota").is_null()) account.quota = j.at("quota").get<std::uint64_t>();
  account.used = j.value("used", std::uint64_t{0});
}

nlohmann::json to_json(const Registration& r) {
  return {{"invite", r.invite},
          {"kdf", to_json(r.kdf)},
          {"auth_key", encode_b64({r.auth_key.data(), r.auth_key.size()})},
          {"key_bundle", encode_b64(r.key_bundle)},
          {"public_key", encode_b64(r.public_key)},
          {"root_node_id", r.root_node_id},
          {"root_wrapped_key", encode_b64(r.root_wrapped_key)},
          {"root_attributes", encode_b64(r.root_attributes)},
          {"root_folder_record", encode_b64(r.root_folder_record)}};
}

}  // namespace coffer::client

namespace coffer::remote {

using client::decode_b64;
using client::encode_b64;

NodeType node_type_from(const std::string& text) {
  auto type = node_type_from_name(text);
  if (!type) throw std::invalid_argument("unknown node type '" + text + "'");
  return *type;
}

void from_json(const nlohmann::json& j, NodeInfo& node) {
  node.node_id = j.at("node_id").get<std::string>();
  node.type = node_type_from(j.at("type").get<std::string>());
  node.owner = j.value("owner", std::string());
  node.attributes = decode_b64(j.at("attributes"));
  node.attributes_revision = j.at("attributes_revision").get<std::uint64_t>();
  node.version = j.value("version", std::uint64_t{0});
  node.size = j.value("size", std::uint64_t{0});
  node.nlink = j.value("nlink", std::uint32_t{1});
  node.folder_revision = j.value("folder_revision", std::uint64_t{0});
}

void from_json(const nlohmann::json& j, EntryInfo& entry) {
  entry.parent_id = j.at("parent_id").get<std::string>();
  entry.name = j.at("name").get<std::string>();
  entry.name_tag = j.at("name_tag").get<std::string>();
  entry.wrapped_key = decode_b64(j.at("wrapped_key"));
  entry.node = j.at("node").get<NodeInfo>();
}

nlohmann::json to_json(const SealedName& entry) {
  return {{"parent_id", entry.parent_id}, {"name", entry.name}, {"name_tag", entry.name_tag},
          {"wrapped_key", encode_b64(entry.wrapped_key)}};
}

nlohmann::json to_json(const CreateNode& r) {
  auto body = to_json(r.entry);
  body["node_id"] = r.node_id;
  body["type"] = node_type_name(r.type);
  body["attributes"] = encode_b64(r.attributes);
  body["attributes_revision"] = r.attributes_revision;
  return body;
}

nlohmann::json to_json(const SetAttributes& r) {
  return {{"attributes", encode_b64(r.attributes)}, {"revision", r.revision}, {"base_revision", r.base_revision}};
}

nlohmann::json to_json(const CommitVersion& r) {
  return {{"base_version", r.base_version}, {"version", r.version}, {"manifest", encode_b64(r.manifest)},
          {"chunks", r.chunks}, {"plain_size_hint", nullptr}};
}

nlohmann::json to_json(const MoveEntry& r) {
  static constexpr const char* kModes[] = {"noreplace", "replace", "exchange"};
  nlohmann::json body = {{"new_parent_id", r.to.parent_id}, {"name", r.to.name}, {"name_tag", r.to.name_tag},
                         {"wrapped_key", encode_b64(r.to.wrapped_key)}, {"mode", kModes[static_cast<int>(r.mode)]}};
  if (r.exchange) {
    body["exchange_name"] = r.exchange->name;
    body["exchange_name_tag"] = r.exchange->name_tag;
    body["exchange_wrapped_key"] = encode_b64(r.exchange->wrapped_key);
  }
  return body;
}

nlohmann::json to_json(const FolderUpdate& update) {
  return {{"node_id", update.node_id},
          {"base_revision", update.base_revision},
          {"revision", update.revision},
          {"record", encode_b64(update.record)}};
}

nlohmann::json to_json(const BatchOp& op) {
  struct Visitor {
    nlohmann::json operator()(const CreateNode& r) const {
      auto body = to_json(r);
      body["op"] = "create";
      return body;
    }
    nlohmann::json operator()(const SetAttributes& r) const {
      auto body = to_json(r);
      body["op"] = "set_attributes";
      body["node_id"] = r.node_id;
      return body;
    }
    nlohmann::json operator()(const CommitVersion& r) const {
      nlohmann::json blobs = nlohmann::json::array();
      for (const auto& blob : r.blobs) blobs.push_back({{"id", blob.id}, {"data", encode_b64(blob.data)}});
      return {{"op", "commit"}, {"node_id", r.node_id}, {"base_version", r.base_version}, {"version", r.version},
              {"manifest", encode_b64(r.manifest)}, {"blobs", blobs}, {"chunks", r.chunks}};
    }
    nlohmann::json operator()(const RemoveEntry& r) const {
      nlohmann::json op = {{"op", "remove"}, {"parent_id", r.parent_id}, {"name_tag", r.name_tag}};
      if (r.expected_version) op["expected_version"] = *r.expected_version;
      return op;
    }
    nlohmann::json operator()(const MoveEntry& r) const {
      auto body = to_json(r);
      body["op"] = "move";
      body["from_parent_id"] = r.from.parent_id;
      body["from_name_tag"] = r.from.name_tag;
      return body;
    }
    nlohmann::json operator()(const AddLink& r) const {
      auto body = to_json(r.entry);
      body["op"] = "link";
      body["node_id"] = r.node_id;
      return body;
    }
  };
  return std::visit(Visitor{}, op);
}

}  // namespace coffer::remote
