#include "client/status_map.hpp"

#include <string>

namespace coffer::client {
namespace {

// The server's code names the cause (docs/api.md, "Errors"); the status alone is the fallback
// for codes this client does not know yet.
Errc errc_from_code(std::string_view code, long status) {
  struct Known {
    std::string_view code;
    Errc errc;
  };
  static constexpr Known kKnown[] = {
      {"conflict", Errc::conflict},         {"already_exists", Errc::already_exists},
      {"not_empty", Errc::not_empty},       {"different_owners", Errc::cross_device},
      {"is_a_folder", Errc::is_a_directory}, {"not_a_folder", Errc::not_a_directory},
      {"proof_failed", Errc::proof_failed}, {"quota_exceeded", Errc::quota_exceeded},
      {"not_applied", Errc::aborted},       {"rate_limited", Errc::rate_limited},
      {"last_admin", Errc::last_admin},     {"gone", Errc::gone},
  };
  for (const auto& known : kKnown) {
    if (code == known.code) return known.errc;
  }
  switch (status) {
    case 400: return Errc::invalid_argument;
    case 401: return Errc::unauthenticated;
    case 403: return Errc::permission_denied;
    case 404: return Errc::not_found;
    case 409: return Errc::conflict;
    case 410: return Errc::gone;
    case 413: return Errc::too_large;
    case 429: return Errc::rate_limited;
    case 507: return Errc::quota_exceeded;
    default: break;
  }
  return status >= 500 ? Errc::unavailable : Errc::internal;
}

}  // namespace

Error error_from_response(const HttpResponse& response, std::string_view what) {
  std::string code;
  std::string message;
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_object()) {
    if (auto it = body.find("error"); it != body.end() && it->is_string()) code = it->get<std::string>();
    if (auto it = body.find("message"); it != body.end() && it->is_string()) message = it->get<std::string>();
  }
  std::string text = std::string(what) + ": HTTP " + std::to_string(response.status);
  if (!code.empty()) text += " " + code;
  if (!message.empty()) text += " (" + message + ")";
  return Error(errc_from_code(code, response.status), std::move(text));
}

Result<nlohmann::json> parse_json_body(const HttpResponse& response, std::string_view what) {
  auto body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded()) return make_error(Errc::internal, std::string(what) + ": the server's answer is not JSON");
  return body;
}

}  // namespace coffer::client
