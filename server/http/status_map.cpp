#include "server/http/status_map.hpp"

namespace coffer::server::http {

int http_status(Errc code) {
  switch (code) {
    case Errc::invalid_argument:
    case Errc::not_a_directory:
    case Errc::is_a_directory:
    case Errc::name_too_long:
    case Errc::out_of_range:
    case Errc::value_too_large:
    case Errc::past_end:
    case Errc::invalid_token:
    case Errc::integrity:
    case Errc::unsupported: return 400;
    case Errc::unauthenticated: return 401;
    case Errc::permission_denied:
    case Errc::not_permitted: return 403;
    case Errc::not_found:
    case Errc::no_attribute: return 404;
    case Errc::already_exists:
    case Errc::conflict:
    case Errc::not_empty: return 409;
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

const char* error_code(Errc code) {
  switch (http_status(code)) {
    case 400: return "bad_request";
    case 401: return "unauthenticated";
    case 403: return "forbidden";
    case 404: return "not_found";
    case 409: return code == Errc::not_empty ? "not_empty" : "conflict";
    case 413: return "too_large";
    case 424: return "not_applied";
    case 429: return "rate_limited";
    case 503: return "unavailable";
    case 507: return "quota_exceeded";
    default: return "internal";
  }
}

bool message_is_public(Errc code) { return http_status(code) < 500 || code == Errc::unavailable; }

}  // namespace coffer::server::http
