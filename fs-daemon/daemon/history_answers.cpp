#include "daemon/history_answers.hpp"

namespace coffer::daemon {
namespace {

nlohmann::json failure(const Error& error) { return {{"error", error.message}, {"code", errc_name(error.code)}}; }

nlohmann::json optional_number(const std::optional<std::uint64_t>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

nlohmann::json versions(history::History& history, const std::string& path) {
  auto file = history.file_at(path);
  if (!file) return failure(file.error());
  auto listed = history.versions_of(*file);
  if (!listed) return failure(listed.error());
  nlohmann::json answer = {{"path", path}, {"node", file->id}, {"versions", nlohmann::json::array()}};
  for (const auto& version : *listed) {
    answer["versions"].push_back({{"version", version.version},
                                  {"created_at", version.created_at},
                                  {"device", version.device ? nlohmann::json(*version.device) : nlohmann::json(nullptr)},
                                  {"size", optional_number(version.size)},
                                  {"error", version.error},
                                  {"current", version.current}});
  }
  return answer;
}

nlohmann::json restore(history::History& history, const nlohmann::json& request) {
  const std::string path = request.at("path").get<std::string>();
  const std::uint64_t version = request.at("version").get<std::uint64_t>();
  if (request.contains("to") && request.at("to").is_string()) {
    auto made = history.restore_to(path, version, request.at("to").get<std::string>());
    if (!made) return failure(made.error());
    return {{"restored", *made}, {"version", version}};
  }
  if (auto restored = history.restore(path, version); !restored) return failure(restored.error());
  return {{"restored", path}, {"version", version}};
}

nlohmann::json trash_list(history::History& history) {
  auto entries = history.trash();
  if (!entries) return failure(entries.error());
  nlohmann::json items = nlohmann::json::array();
  for (const auto& entry : *entries) {
    items.push_back({{"node", entry.item.node.node_id},
                     {"type", remote::node_type_name(entry.item.node.type)},
                     {"name", entry.name},
                     {"path", entry.path},
                     {"trashed_at", entry.item.trashed_at},
                     {"parent", entry.item.entry.parent_id},
                     {"parent_in_trash", entry.item.parent_in_trash},
                     {"size", optional_number(entry.size)},
                     {"error", entry.error}});
  }
  return {{"items", std::move(items)}};
}

nlohmann::json trash_restore(history::History& history, const nlohmann::json& request) {
  std::optional<std::string> to;
  if (request.contains("to") && request.at("to").is_string()) to = request.at("to").get<std::string>();
  auto restored = history.restore_from_trash(request.at("item").get<std::string>(), to);
  if (!restored) return failure(restored.error());
  return {{"restored", restored->path}, {"nodes", restored->nodes}};
}

nlohmann::json trash_empty(history::History& history, const nlohmann::json& request) {
  std::optional<std::int64_t> older_than;
  if (request.contains("older_than") && !request.at("older_than").is_null()) {
    older_than = request.at("older_than").get<std::int64_t>();
  }
  auto purged = history.empty_trash(older_than);
  if (!purged) return failure(purged.error());
  return {{"purged", *purged}};
}

nlohmann::json ls_at(history::History& history, const nlohmann::json& request) {
  auto entries = history.list_at(request.at("path").get<std::string>(), request.at("at").get<std::int64_t>());
  if (!entries) return failure(entries.error());
  nlohmann::json listed = nlohmann::json::array();
  for (const auto& entry : *entries) {
    listed.push_back({{"name", entry.name},
                      {"type", remote::node_type_name(entry.type)},
                      {"version", entry.version},
                      {"size", optional_number(entry.size)},
                      {"mtime", entry.mtime.sec},
                      {"error", entry.error}});
  }
  return {{"entries", std::move(listed)}};
}

}  // namespace

nlohmann::json answer_history(history::History& history, const nlohmann::json& request) {
  try {
    const std::string verb = request.at("request").get<std::string>();
    if (verb == "versions") return versions(history, request.at("path").get<std::string>());
    if (verb == "restore") return restore(history, request);
    if (verb == "trash_list") return trash_list(history);
    if (verb == "trash_restore") return trash_restore(history, request);
    if (verb == "trash_empty") return trash_empty(history, request);
    if (verb == "ls_at") return ls_at(history, request);
    return failure(Error(Errc::invalid_argument, "unknown request " + verb));
  } catch (const nlohmann::json::exception& e) {  // a malformed request, not a fault of the daemon
    return failure(Error(Errc::invalid_argument, std::string("malformed request: ") + e.what()));
  }
}

}  // namespace coffer::daemon
