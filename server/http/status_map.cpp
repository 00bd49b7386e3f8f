#include "server/http/status_map.hpp"

namespace coffer::server::http {

int http_status(Errc code) {
  switch (code) {
    case Errc::invalid_argument:
    case Errc::name_too_long:
    case Errc::out_of_range:
    case Errc::value_too_large:
    case Errc::past_end:
    case Errc::invalid_token:
    case Errc::integrity:
    case Errc::unsupported: return 400;
    case Errc::unauthenticated: return 401;
    case Errc::permission_denied:
    case Errc::not_permitted:
    case Errc::read_only:
    case Errc::proof_failed: return 403;
    case Errc::not_found:
    case Errc::no_attribute: return 404;
    case Errc::already_exists:
    case Errc::conflict:
    case Errc::not_empty:
    case Errc::cross_device:
    case Errc::last_admin:
    case Errc::not_a_directory:
    case Errc::is_a_directory: return 409;
    case Errc::gone: return 410;
    case Errc::too_large: return 413;
    case Errc::aborted: return 424;
    case Errc::rate_limited: return 429;
    case Errc::unavailable: return 503;
    case Errc::quota_exceeded: return 507;
    case Errc::io:
    case Errc::bad_handle:
    case Errc::internal: return 500;
  }
  return 500;
}

// One code per cause that a client acts on differently (docs/api.md, "Errors"): the 409s in
// particular, so a client never guesses the cause from the kind of request it sent.
const char* error_code(Errc code) {
  switch (code) {
    case Errc::already_exists: return "already_exists";
    case Errc::not_empty: return "not_empty";
    case Errc::cross_device: return "different_owners";
    case Errc::not_a_directory: return "not_a_folder";
    case Errc::is_a_directory: return "is_a_folder";
    case Errc::proof_failed: return "proof_failed";
    case Errc::last_admin: return "last_admin";
    default: break;
  }
  switch (http_status(code)) {
    case 400: return "bad_request";
    case 401: return "unauthenticated";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 409: return "conflict";
    case 410: return "gone";
    case 413: return "too_large";
    case 424: return "not_applied";
    case 429: return "rate_limited";
    case 503: return "unavailable";
    case 507: return "quota_exceeded";
    default: return "internal";
  }
}

bool message_is_public(Errc code) {
  return http_status(code) < 500 || code == Errc::unavailable || code == Errc::quota_exceeded;
}

}  // namespace coffer::server::http
