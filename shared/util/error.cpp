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
    case Errc::aborted: return "aborted";
    case Errc::proof_failed: return "proof_failed";
    case Errc::cross_device: return "cross_device";
    case Errc::last_admin: return "last_admin";
    case Errc::not_a_directory: return "not_a_directory";
    case Errc::is_a_directory: return "is_a_directory";
    case Errc::name_too_long: return "name_too_long";
    case Errc::no_attribute: return "no_attribute";
    case Errc::out_of_range: return "out_of_range";
    case Errc::not_permitted: return "not_permitted";
    case Errc::bad_handle: return "bad_handle";
    case Errc::value_too_large: return "value_too_large";
    case Errc::past_end: return "past_end";
    case Errc::read_only: return "read_only";
    case Errc::gone: return "gone";
  }
  return "unknown";
}

}  // namespace coffer
