#include "vfs/metadata_records.hpp"

#include <nlohmann/json.hpp>

#include "crypto/encoding.hpp"
#include "sync/attributes_json.hpp"

namespace coffer::vfs {
namespace {

using nlohmann::json;

// The JSON text moves into wiped memory; the string it was built in is wiped too.
SecureBytes sealable(std::string text) {
  SecureBytes out(text.begin(), text.end());
  secure_zero(text.data(), text.size());
  return out;
}

Error malformed(const std::string& what, const char* detail) {
  return make_error(Errc::integrity, "metadata cache: " + what + ": " + detail);
}

}  // namespace

SecureBytes encode_listing(const CachedListing& listing) {
  json entries = json::array();
  for (const auto& entry : listing.entries) entries.push_back({entry.name, entry.name_tag, entry.node_id});
  return sealable(json{{"revision", listing.revision}, {"entries", std::move(entries)}}.dump());
}

Result<CachedListing> decode_listing(ByteView bytes) {
  try {
    const json j = json::parse(bytes.begin(), bytes.end());
    CachedListing listing;
    listing.revision = j.at("revision").get<std::uint64_t>();
    for (const auto& entry : j.at("entries")) {
      listing.entries.push_back(
          {entry.at(0).get<std::string>(), entry.at(1).get<std::string>(), entry.at(2).get<std::string>()});
    }
    return listing;
  } catch (const std::exception& e) {
    return malformed("a listing", e.what());
  }
}

SecureBytes encode_node(const CachedNode& node) {
  std::string key = crypto::base64url_encode(node.key);
  json j = {{"type", remote::node_type_name(node.type)},
            {"key", key},
            {"attrs", sync::attributes_json(node.attrs)},
            {"size", node.size},
            {"stored", node.stored},
            {"size_unknown", node.size_unknown},
            {"nlink", node.nlink},
            {"version", node.version}};
  secure_zero(key.data(), key.size());
  auto out = sealable(j.dump());
  secure_zero(j["key"].get_ref<std::string&>().data(), j["key"].get_ref<std::string&>().size());
  return out;
}

Result<CachedNode> decode_node(const std::string& node_id, ByteView bytes) {
  try {
    json j = json::parse(bytes.begin(), bytes.end());
    CachedNode node;
    node.node_id = node_id;
    auto type = remote::node_type_from_name(j.at("type").get<std::string>());
    if (!type) return malformed("node " + node_id, "unknown type");
    node.type = *type;
    auto& key_text = j.at("key").get_ref<std::string&>();
    auto key = crypto::base64url_decode(key_text);
    secure_zero(key_text.data(), key_text.size());
    if (!key) return malformed("node " + node_id, "the key is not base64url");
    node.key.assign(key->begin(), key->end());
    secure_zero(key->data(), key->size());
    node.attrs = sync::attributes_from(j.at("attrs"));
    node.size = j.at("size").get<std::uint64_t>();
    node.stored = j.at("stored").get<std::uint64_t>();
    node.size_unknown = j.at("size_unknown").get<bool>();
    node.nlink = j.at("nlink").get<std::uint32_t>();
    node.version = j.at("version").get<std::uint64_t>();
    return node;
  } catch (const std::exception& e) {
    return malformed("node " + node_id, e.what());
  }
}

}  // namespace coffer::vfs
