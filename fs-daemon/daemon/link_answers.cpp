#include "daemon/link_answers.hpp"

namespace coffer::daemon {
namespace {

nlohmann::json failure(const Error& error) { return {{"error", error.message}, {"code", errc_name(error.code)}}; }

}  // namespace

bool is_link_request(const nlohmann::json& request) { return request.value("request", std::string()) == "link_target"; }

nlohmann::json answer_link(vfs::Vfs& vfs, const nlohmann::json& request) {
  try {
    const auto path = request.at("path").get<std::string>();
    auto node = vfs.resolve_path(path);
    if (!node) return failure(node.error());
    if (node->parent_id.empty()) {
      return failure(Error(Errc::invalid_argument, "the root folder cannot be linked: link a folder in it"));
    }
    if (node->type != remote::NodeType::file && node->type != remote::NodeType::folder) {
      return failure(Error(Errc::invalid_argument, path + ": only files and folders can be linked"));
    }
    return {{"node", node->id},
            {"kind", node->type == remote::NodeType::folder ? "folder" : "file"},
            {"key", node->key.to_base64()},
            {"path", path}};
  } catch (const nlohmann::json::exception& e) {  // a malformed request, not a fault of the daemon
    return failure(Error(Errc::invalid_argument, std::string("malformed request: ") + e.what()));
  }
}

}  // namespace coffer::daemon
