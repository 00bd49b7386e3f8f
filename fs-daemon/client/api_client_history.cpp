#include "client/api_client.hpp"
#include "client/api_requests.hpp"
#include "client/wire_json.hpp"

// The history routes of docs/api.md: a file's versions, the trash, a folder at a past time.
namespace coffer::client {

Result<std::vector<remote::VersionSummary>> ApiClient::list_versions(const std::string& node_id) {
  auto body = call(get_request("/v1/nodes/" + node_id + "/versions"), "list versions");
  if (!body) return std::move(body).error();
  return decode<std::vector<remote::VersionSummary>>("list versions", [&] {
    std::vector<remote::VersionSummary> versions;
    for (const auto& item : body->at("versions")) {
      remote::VersionSummary version;
      version.version = item.at("version").get<std::uint64_t>();
      version.stored_size = item.value("size", std::uint64_t{0});
      version.created_at = item.at("created_at").get<std::int64_t>();
      if (item.contains("device") && item.at("device").is_string()) version.device = item.at("device").get<std::string>();
      versions.push_back(std::move(version));
    }
    return versions;
  });
}

Result<remote::TrashPage> ApiClient::list_trash(const std::optional<std::string>& after, unsigned limit) {
  std::string target = "/v1/trash?limit=" + std::to_string(limit);
  if (after) target += "&after=" + *after;
  auto body = call(get_request(target), "list trash");
  if (!body) return std::move(body).error();
  return decode<remote::TrashPage>("list trash", [&] {
    remote::TrashPage page;
    for (const auto& item : body->at("items")) {
      remote::TrashItem trashed;
      trashed.node = item.at("node").get<remote::NodeInfo>();
      trashed.trashed_at = item.at("trashed_at").get<std::int64_t>();
      trashed.entry = remote::SealedName{item.at("parent_id").get<std::string>(), item.at("name").get<std::string>(),
                                         item.at("name_tag").get<std::string>(), decode_b64(item.at("wrapped_key"))};
      trashed.parent_in_trash = item.value("parent_in_trash", false);
      page.items.push_back(std::move(trashed));
    }
    if (body->contains("next") && !body->at("next").is_null()) page.next = body->at("next").get<std::string>();
    return page;
  });
}

Result<std::uint64_t> ApiClient::empty_trash(std::optional<std::int64_t> older_than) {
  nlohmann::json payload = {{"older_than", nullptr}};
  if (older_than) payload["older_than"] = *older_than;
  auto body = call(json_request("POST", "/v1/trash/empty", payload.dump(), true), "empty trash");
  if (!body) return std::move(body).error();
  return decode<std::uint64_t>("empty trash", [&] { return body->at("purged").get<std::uint64_t>(); });
}

Result<remote::EntryPage> ApiClient::list_entries_at(const std::string& folder_id, std::int64_t at,
                                                     const std::optional<std::string>& after, unsigned limit) {
  std::string target = "/v1/nodes/" + folder_id + "/entries?at=" + std::to_string(at) + "&limit=" + std::to_string(limit);
  if (after) target += "&after=" + *after;
  auto body = call(get_request(target), "list entries at a time");
  if (!body) return std::move(body).error();
  return decode<remote::EntryPage>("list entries at a time", [&] {
    remote::EntryPage page;
    page.entries = body->at("entries").get<std::vector<remote::EntryInfo>>();
    if (body->contains("next") && !body->at("next").is_null()) page.next = body->at("next").get<std::string>();
    return page;
  });
}

}  // namespace coffer::client
