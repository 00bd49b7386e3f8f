#include "fuse/errno_map.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>

namespace coffer::fuse {

int errno_of(const Error& error) {
  switch (error.code) {
    case Errc::not_found:
    case Errc::gone: return ENOENT;
    case Errc::already_exists: return EEXIST;
    case Errc::not_empty: return ENOTEMPTY;
    case Errc::invalid_argument: return EINVAL;
    case Errc::permission_denied: return EACCES;
    case Errc::quota_exceeded: return EDQUOT;
    case Errc::too_large: return EFBIG;
    case Errc::unsupported: return EOPNOTSUPP;
    case Errc::not_a_directory: return ENOTDIR;
    case Errc::is_a_directory: return EISDIR;
    case Errc::name_too_long: return ENAMETOOLONG;
    case Errc::no_attribute: return ENODATA;
    case Errc::out_of_range: return ERANGE;
    case Errc::not_permitted: return EPERM;
    case Errc::bad_handle: return EBADF;
    case Errc::value_too_large: return E2BIG;
    case Errc::past_end: return ENXIO;
    case Errc::read_only: return EROFS;
    case Errc::cross_device: return EXDEV;
    case Errc::proof_failed: return EACCES;
    case Errc::integrity:
      spdlog::error("refused tampered data: {}", error.message);
      return EIO;
    case Errc::unauthenticated:
      spdlog::error("the server refused this login ({}); run `coffer login` again", error.message);
      return EIO;
    // The server did not answer (refused, silent past network.foreground_timeout, or not
    // confirming an upload in time): "Host is down" tells it apart from damaged data's EIO.
    case Errc::unavailable:
      spdlog::warn("server unreachable: {}", error.message);
      return EHOSTDOWN;
    case Errc::rate_limited:
      spdlog::warn("server overloaded: {}", error.message);
      return EIO;
    case Errc::io:
    case Errc::conflict:
    case Errc::invalid_token:
    case Errc::internal:
    case Errc::aborted:
    case Errc::last_admin:
      break;
  }
  spdlog::error("{}: {}", errc_name(error.code), error.message);
  return EIO;
}

}  // namespace coffer::fuse
