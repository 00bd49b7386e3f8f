#include "util/error.hpp"

namespace coffer {

const char* errc_name(Errc code) noexcept {
  switch (code) {
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::invalid_token: return "invalid_token";
    case Errc::integrity: return "integrity";
    case Errc::not_found: return "not_found";
    case Errc::already_exists: return "already_exists";
    case Errc::conflict: return "conflict";
    case Errc::permission_denied: return "permission_denied";
    case Errc::unauthenticated: return "unauthenticated";
    case Errc::quota_exceeded: return "quota_exceeded";
    case Errc::rate_limited: return "rate_limited";
    case Errc::too_large: return "too_large";
    case Errc::not_empty: return "not_empty";
    case Errc::unavailable: return "unavailable";
    case Errc::io: return "io";
    case Errc::unsupported: return "unsupported";
    case Errc::internal: return "internal";
  }
  return "unknown";
}

}  // namespace coffer
