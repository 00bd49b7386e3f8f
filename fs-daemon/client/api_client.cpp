#include "client/api_client.hpp"

#include <cctype>

#include "client/api_requests.hpp"
#include "client/status_map.hpp"
#include "client/wire_json.hpp"

namespace coffer::client {

std::string url_escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

Result<HttpResponse> ApiClient::send(HttpRequest request) {
  request.answer_within = answer_within_;
  return http_->send(request);
}

Result<nlohmann::json> ApiClient::call(const HttpRequest& request, std::string_view what) {
  auto response = send(request);
  if (!response) return std::move(response).error();
  if (response->status < 200 || response->status >= 300) return error_from_response(*response, what);
  if (response->body.empty()) return nlohmann::json::object();
  return parse_json_body(*response, what);
}

Status ApiClient::call_no_body(const HttpRequest& request, std::string_view what) {
  auto body = call(request, what);
  if (!body) return std::move(body).error();
  return {};
}

Result<crypto::KdfParams> ApiClient::auth_params(const std::string& user) {
  auto body = call(get_request("/v1/auth/params?user=" + url_escape(user)), "auth params");
  if (!body) return std::move(body).error();
  return decode<crypto::KdfParams>("auth params", [&] { return kdf_from_json(body->at("kdf")); });
}

Result<Session> ApiClient::create_session(const std::string& user, ByteView auth_key, const std::string& device) {
  std::string payload = nlohmann::json{{"user", user}, {"auth_key", encode_b64(auth_key)}, {"device", device}}.dump();
  auto body = call(json_request("POST", "/v1/sessions", payload, false), "login");
  if (!body) return std::move(body).error();
  return decode<Session>("login", [&] { return body->get<Session>(); });
}

Status ApiClient::delete_current_session() {
  return call_no_body(delete_request("/v1/sessions/current"), "logout");
}

Result<Account> ApiClient::get_account() {
  auto body = call(get_request("/v1/account"), "account");
  if (!body) return std::move(body).error();
  return decode<Account>("account", [&] { return body->get<Account>(); });
}

Status ApiClient::change_password(ByteView current_auth_key, const crypto::KdfParams& kdf, ByteView auth_key,
                                  ByteView key_bundle) {
  std::string payload = nlohmann::json{{"current_auth_key", encode_b64(current_auth_key)},
                                       {"kdf", to_json(kdf)},
                                       {"auth_key", encode_b64(auth_key)},
                                       {"key_bundle", encode_b64(key_bundle)}}
                            .dump();
  return call_no_body(json_request("PUT", "/v1/account/password", payload, false), "change password");
}

Result<std::string> ApiClient::register_user(const Registration& registration) {
  std::string payload = to_json(registration).dump();
  auto body = call(json_request("POST", "/v1/register", payload, false), "register");
  if (!body) return std::move(body).error();
  return decode<std::string>("register", [&] { return body->at("user").get<std::string>(); });
}

Result<std::vector<SessionInfo>> ApiClient::list_sessions() {
  auto body = call(get_request("/v1/sessions"), "sessions");
  if (!body) return std::move(body).error();
  return decode<std::vector<SessionInfo>>("sessions",
                                          [&] { return body->at("sessions").get<std::vector<SessionInfo>>(); });
}

Status ApiClient::revoke_session(const std::string& session_id) {
  return call_no_body(delete_request("/v1/sessions/" + url_escape(session_id)), "revoke session");
}

Result<std::uint64_t> ApiClient::revoke_other_sessions(ByteView current_auth_key) {
  std::string payload = nlohmann::json{{"current_auth_key", encode_b64(current_auth_key)}}.dump();
  auto body = call(json_request("POST", "/v1/sessions/revoke-others", payload, false), "revoke other sessions");
  if (!body) return std::move(body).error();
  return decode<std::uint64_t>("revoke other sessions", [&] { return body->at("revoked").get<std::uint64_t>(); });
}

Status ApiClient::delete_account(ByteView current_auth_key, const std::string& confirm_user) {
  std::string payload =
      nlohmann::json{{"current_auth_key", encode_b64(current_auth_key)}, {"confirm_user", confirm_user}}.dump();
  return call_no_body(json_request("DELETE", "/v1/account", payload, false), "delete account");
}

Result<remote::NodeInfo> ApiClient::get_node(const std::string& node_id) {
  auto body = call(get_request("/v1/nodes/" + node_id), "get node");
  if (!body) return std::move(body).error();
  return decode<remote::NodeInfo>("get node", [&] { return body->get<remote::NodeInfo>(); });
}

Result<remote::EntryPage> ApiClient::list_entries(const std::string& parent_id, const std::optional<std::string>& after,
                                                  unsigned limit) {
  std::string target = "/v1/nodes/" + parent_id + "/entries?limit=" + std::to_string(limit);
  if (after) target += "&after=" + *after;
  auto body = call(get_request(target), "list entries");
  if (!body) return std::move(body).error();
  return decode<remote::EntryPage>("list entries", [&] {
    remote::EntryPage page;
    page.entries = body->at("entries").get<std::vector<remote::EntryInfo>>();
    if (body->contains("next") && !body->at("next").is_null()) page.next = body->at("next").get<std::string>();
    const auto& folder = body->at("folder");
    page.folder.revision = folder.at("revision").get<std::uint64_t>();
    page.folder.record = client::decode_b64(folder.at("record"));
    return page;
  });
}

Result<remote::NodeInfo> ApiClient::set_attributes(const remote::SetAttributes& r) {
  std::string payload = remote::to_json(r).dump();
  auto body = call(json_request("PUT", "/v1/nodes/" + r.node_id + "/attributes", payload, false), "set attributes");
  if (!body) return std::move(body).error();
  return decode<remote::NodeInfo>("set attributes", [&] { return body->get<remote::NodeInfo>(); });
}

Status ApiClient::put_blob(const std::string& blob_id, ByteView data) {
  HttpRequest request;
  request.method = "PUT";
  request.target = "/v1/blobs/" + blob_id;
  request.content_type = "application/octet-stream";
  request.body = {reinterpret_cast<const char*>(data.data()), data.size()};
  request.idempotent = true;
  return call_no_body(request, "put blob");
}

Result<Bytes> ApiClient::get_blob(const std::string& blob_id) {
  auto response = send(get_request("/v1/blobs/" + blob_id));
  if (!response) return std::move(response).error();
  if (response->status != 200) return error_from_response(*response, "get blob");
  return std::move(response->body);
}

Result<std::uint64_t> ApiClient::commit_version(const remote::CommitVersion& r) {
  std::string payload = remote::to_json(r).dump();
  auto body = call(json_request("POST", "/v1/nodes/" + r.node_id + "/versions", payload, false), "commit version");
  if (!body) return std::move(body).error();
  return decode<std::uint64_t>("commit version", [&] { return body->at("version").get<std::uint64_t>(); });
}

Result<remote::VersionInfo> ApiClient::get_version(const std::string& node_id, std::optional<std::uint64_t> version) {
  std::string which = version ? std::to_string(*version) : "current";
  auto body = call(get_request("/v1/nodes/" + node_id + "/versions/" + which), "get version");
  if (!body) return std::move(body).error();
  return decode<remote::VersionInfo>("get version", [&] {
    remote::VersionInfo info;
    info.version = body->at("version").get<std::uint64_t>();
    info.manifest = decode_b64(body->at("manifest"));
    info.chunks = body->at("chunks").get<std::vector<std::string>>();
    return info;
  });
}

Result<std::vector<Status>> ApiClient::batch(const std::vector<remote::BatchOp>& ops,
                                             const std::vector<remote::FolderUpdate>& folders) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& op : ops) list.push_back(remote::to_json(op));
  nlohmann::json updates = nlohmann::json::array();
  for (const auto& folder : folders) updates.push_back(remote::to_json(folder));
  std::string payload = nlohmann::json{{"ops", std::move(list)}, {"folders", std::move(updates)}}.dump();
  auto body = call(json_request("POST", "/v1/batch", payload, false), "batch");
  if (!body) return std::move(body).error();
  return decode<std::vector<Status>>("batch", [&] {
    std::vector<Status> results;
    for (const auto& item : body->at("results")) {
      const std::string text = item.value("body", nlohmann::json::object()).dump();
      HttpResponse response{item.at("status").get<long>(), Bytes(text.begin(), text.end()), {}};
      if (response.status >= 200 && response.status < 300) {
        results.emplace_back();
      } else {
        results.emplace_back(error_from_response(response, "batch op"));  // the code names the cause
      }
    }
    if (results.size() != ops.size()) throw std::runtime_error("result count differs from op count");
    return results;
  });
}

Result<remote::Usage> ApiClient::usage() {
  auto body = call(get_request("/v1/usage"), "usage");
  if (!body) return std::move(body).error();
  return decode<remote::Usage>("usage", [&] {
    remote::Usage usage;
    usage.used = body->at("used").get<std::uint64_t>();
    if (!body->at("quota").is_null()) usage.quota = body->at("quota").get<std::uint64_t>();
    if (body->contains("current")) {
      usage.split = remote::Usage::Split{body->at("current").get<std::uint64_t>(), body->at("versions").get<std::uint64_t>(),
                                         body->at("trash").get<std::uint64_t>(), body->at("other").get<std::uint64_t>()};
    }
    return usage;
  });
}

// A long poll: the server may hold the answer for `wait`, so the request's own limit is that
// and a margin; the stall limit (HttpOptions::stall_timeout) stays above any wait the daemon asks.
Result<remote::ChangePage> ApiClient::changes(std::optional<std::uint64_t> cursor, std::chrono::seconds wait,
                                              std::stop_token stop) {
  HttpRequest request = get_request("/v1/changes?cursor=" + (cursor ? std::to_string(*cursor) : "latest") +
                                    "&timeout=" + std::to_string(wait.count()));
  request.timeout = wait + std::chrono::seconds(30);
  request.stop = std::move(stop);
  auto body = call(request, "changes");
  if (!body) return std::move(body).error();
  return decode<remote::ChangePage>("changes", [&] {
    remote::ChangePage page;
    page.cursor = body->at("cursor").get<std::uint64_t>();
    for (const auto& item : body->at("changes")) {
      remote::Change change{item.at("cursor").get<std::uint64_t>(), item.at("node_id").get<std::string>(),
                            std::nullopt, item.at("kind").get<std::string>(), item.value("own", false)};
      if (!item.at("parent_id").is_null()) change.parent_id = item.at("parent_id").get<std::string>();
      page.changes.push_back(std::move(change));
    }
    return page;
  });
}

}  // namespace coffer::client
