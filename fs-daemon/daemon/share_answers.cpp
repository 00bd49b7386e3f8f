#include "daemon/share_answers.hpp"

namespace coffer::daemon {
namespace {

nlohmann::json failure(const Error& error) { return {{"error", error.message}, {"code", errc_name(error.code)}}; }

const char* sighting_name(profile::KeySighting sighting) {
  switch (sighting) {
    case profile::KeySighting::first: return "first";
    case profile::KeySighting::known: return "known";
    case profile::KeySighting::verified: return "verified";
  }
  return "first";
}

nlohmann::json share(sharing::ShareManager& shares, const nlohmann::json& request) {
  const auto role = remote::share_role_from_name(request.at("role").get<std::string>());
  if (!role) return failure(Error(Errc::invalid_argument, "the role is read, write or manage"));
  auto made = shares.share(request.at("path").get<std::string>(), request.at("user").get<std::string>(), *role);
  if (!made) return failure(made.error());
  return {{"node", made->share.node_id},
          {"user", made->share.grantee},
          {"role", remote::share_role_name(made->share.role)},
          {"fingerprint", made->fingerprint},
          {"key", sighting_name(made->sighting)}};
}

nlohmann::json unshare(sharing::ShareManager& shares, const nlohmann::json& request) {
  auto removed = shares.unshare(request.at("path").get<std::string>(), request.at("user").get<std::string>());
  if (!removed) return failure(removed.error());
  return {{"unshared", true}};
}

nlohmann::json line_json(const sharing::ShareLine& line) {
  return {{"path", line.path},
          {"node", line.share.node_id},
          {"owner", line.share.owner},
          {"grantee", line.share.grantee},
          {"role", remote::share_role_name(line.share.role)},
          {"granted_by", line.share.granted_by},
          {"created_at", line.share.created_at},
          {"error", line.error}};
}

nlohmann::json list(sharing::ShareManager& shares) {
  auto listing = shares.list();
  if (!listing) return failure(listing.error());
  nlohmann::json answer = {{"outgoing", nlohmann::json::array()}, {"incoming", nlohmann::json::array()}};
  for (const auto& line : listing->outgoing) answer["outgoing"].push_back(line_json(line));
  for (const auto& line : listing->incoming) answer["incoming"].push_back(line_json(line));
  return answer;
}

}  // namespace

bool is_share_request(const nlohmann::json& request) {
  const auto verb = request.value("request", std::string());
  return verb == "share" || verb == "unshare" || verb == "shares";
}

nlohmann::json answer_shares(sharing::ShareManager& shares, const nlohmann::json& request) {
  try {
    const std::string verb = request.at("request").get<std::string>();
    if (verb == "share") return share(shares, request);
    if (verb == "unshare") return unshare(shares, request);
    if (verb == "shares") return list(shares);
    return failure(Error(Errc::invalid_argument, "unknown request " + verb));
  } catch (const nlohmann::json::exception& e) {  // a malformed request, not a fault of the daemon
    return failure(Error(Errc::invalid_argument, std::string("malformed request: ") + e.what()));
  }
}

}  // namespace coffer::daemon
