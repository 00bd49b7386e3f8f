#include "client/api_client.hpp"
#include "client/api_requests.hpp"
#include "client/wire_json.hpp"

// The sharing routes of docs/api.md: grants and other users' public keys.
namespace coffer::client {
namespace {

constexpr std::size_t kPublicKeySize = 32;

remote::ShareInfo share_from_json(const nlohmann::json& item) {
  remote::ShareInfo share;
  share.node_id = item.at("node_id").get<std::string>();
  share.owner = item.at("owner").get<std::string>();
  share.grantee = item.at("grantee").get<std::string>();
  share.granted_by = item.at("granted_by").get<std::string>();
  const auto role = remote::share_role_from_name(item.at("role").get<std::string>());
  if (!role) throw std::invalid_argument("unknown role");
  share.role = *role;
  share.created_at = item.at("created_at").get<std::int64_t>();
  share.sealed_key = decode_b64(item.at("sealed_key"));
  share.node = item.at("node").get<remote::NodeInfo>();
  if (share.node.node_id != share.node_id) throw std::invalid_argument("a share's node is another node");
  share.path = item.at("path").get<std::vector<remote::EntryInfo>>();
  return share;
}

std::vector<remote::ShareInfo> shares_from_json(const nlohmann::json& list) {
  std::vector<remote::ShareInfo> shares;
  for (const auto& item : list) shares.push_back(share_from_json(item));
  return shares;
}

}  // namespace

Result<remote::ShareLists> ApiClient::list_shares() {
  auto body = call(get_request("/v1/shares"), "list shares");
  if (!body) return std::move(body).error();
  return decode<remote::ShareLists>("list shares", [&] {
    return remote::ShareLists{shares_from_json(body->at("outgoing")), shares_from_json(body->at("incoming"))};
  });
}

Result<remote::ShareInfo> ApiClient::put_share(const std::string& node_id, const std::string& grantee,
                                               remote::ShareRole role, ByteView sealed_key) {
  const nlohmann::json payload = {{"node_id", node_id},
                                  {"grantee", grantee},
                                  {"role", remote::share_role_name(role)},
                                  {"sealed_key", encode_b64(sealed_key)}};
  // Idempotent: the same grant sent twice leaves one grant with this role and key.
  auto body = call(json_request("POST", "/v1/shares", payload.dump(), true), "share");
  if (!body) return std::move(body).error();
  return decode<remote::ShareInfo>("share", [&] { return share_from_json(*body); });
}

Status ApiClient::delete_share(const std::string& node_id, const std::string& grantee) {
  return call_no_body(delete_request("/v1/shares/" + url_escape(node_id) + "/" + url_escape(grantee)), "unshare");
}

Result<Bytes> ApiClient::public_key(const std::string& user) {
  auto body = call(get_request("/v1/users/" + url_escape(user) + "/public_key"), "public key");
  if (!body) return std::move(body).error();
  return decode<Bytes>("public key", [&] {
    if (body->at("user").get<std::string>() != user) throw std::invalid_argument("the key of another user");
    Bytes key = decode_b64(body->at("public_key"));
    if (key.size() != kPublicKeySize) throw std::invalid_argument("a public key is 32 bytes");
    return key;
  });
}

}  // namespace coffer::client
