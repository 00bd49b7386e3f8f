#include "client/api_client.hpp"
#include "client/api_requests.hpp"
#include "client/wire_json.hpp"

// The share-link routes of docs/api.md a link's creator uses: create, list, revoke.
namespace coffer::client {
namespace {

template <class T>
std::optional<T> optional_of(const nlohmann::json& item, const char* name) {
  const auto it = item.find(name);
  if (it == item.end() || it->is_null()) return std::nullopt;
  return it->get<T>();
}

template <class T>
nlohmann::json or_null(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

remote::LinkInfo link_from_json(const nlohmann::json& item) {
  remote::LinkInfo link;
  link.link_id = item.at("link_id").get<std::string>();
  link.node_id = item.at("node_id").get<std::string>();
  link.kind = item.at("kind").get<std::string>();
  if (link.kind != "file" && link.kind != "folder") throw std::invalid_argument("a link's kind is file or folder");
  link.label = decode_b64(item.at("label"));
  link.created_at = item.at("created_at").get<std::int64_t>();
  link.expires_at = optional_of<std::int64_t>(item, "expires_at");
  link.max_downloads = optional_of<std::int64_t>(item, "max_downloads");
  link.downloads = item.at("downloads").get<std::int64_t>();
  link.password = item.at("password").get<bool>();
  return link;
}

}  // namespace

Result<std::int64_t> ApiClient::create_link(const remote::NewLink& link) {
  nlohmann::json password(nullptr);
  if (link.password) {
    password = {{"salt", encode_b64(link.password->salt)}, {"kdf", to_json(link.password->kdf)}};
  }
  const nlohmann::json payload = {{"link_id", link.link_id},
                                  {"node_id", link.node_id},
                                  {"kind", link.kind},
                                  {"sealed_key", encode_b64(link.sealed_key)},
                                  {"password", password},
                                  {"label", encode_b64(link.label)},
                                  {"expires_at", or_null(link.expires_at)},
                                  {"max_downloads", or_null(link.max_downloads)}};
  // Idempotent: the link id is the client's, so a retry after a lost answer is a 409 at worst.
  auto body = call(json_request("POST", "/v1/links", payload.dump(), true), "create link");
  if (!body) return std::move(body).error();
  return decode<std::int64_t>("create link", [&] {
    if (body->at("link_id").get<std::string>() != link.link_id) throw std::invalid_argument("another link's answer");
    return body->at("created_at").get<std::int64_t>();
  });
}

Result<std::vector<remote::LinkInfo>> ApiClient::list_links() {
  auto body = call(get_request("/v1/links"), "list links");
  if (!body) return std::move(body).error();
  return decode<std::vector<remote::LinkInfo>>("list links", [&] {
    std::vector<remote::LinkInfo> links;
    for (const auto& item : body->at("links")) links.push_back(link_from_json(item));
    return links;
  });
}

Status ApiClient::delete_link(const std::string& link_id) {
  return call_no_body(delete_request("/v1/links/" + url_escape(link_id)), "revoke link");
}

}  // namespace coffer::client
