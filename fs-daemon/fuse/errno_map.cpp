#include "fuse/errno_map.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>

#include "vfs/fs_errc.hpp"

namespace coffer::fuse {
namespace {

int fs_errno(vfs::FsErrc code) {
  switch (code) {
    case vfs::FsErrc::not_a_directory: return ENOTDIR;
    case vfs::FsErrc::is_a_directory: return EISDIR;
    case vfs::FsErrc::name_too_long: return ENAMETOOLONG;
    case vfs::FsErrc::no_attribute: return ENODATA;
    case vfs::FsErrc::out_of_range: return ERANGE;
    case vfs::FsErrc::not_permitted: return EPERM;
    case vfs::FsErrc::bad_handle: return EBADF;
    case vfs::FsErrc::value_too_large: return E2BIG;
  }
  return EIO;
}

}  // namespace

int errno_of(const Error& error) {
  if (static_cast<int>(error.code) >= static_cast<int>(vfs::FsErrc::not_a_directory)) {
    return fs_errno(static_cast<vfs::FsErrc>(static_cast<int>(error.code)));
  }
  switch (error.code) {
    case Errc::not_found: return ENOENT;
    case Errc::already_exists: return EEXIST;
    case Errc::not_empty: return ENOTEMPTY;
    case Errc::invalid_argument: return EINVAL;
    case Errc::permission_denied: return EACCES;
    case Errc::quota_exceeded: return EDQUOT;
    case Errc::too_large: return EFBIG;
    case Errc::unsupported: return EOPNOTSUPP;
    case Errc::integrity:
      spdlog::error("refused tampered data: {}", error.message);
      return EIO;
    case Errc::unauthenticated:
      spdlog::error("the server refused this login ({}); run `coffer login` again", error.message);
      return EIO;
    case Errc::unavailable:
    case Errc::rate_limited:
      spdlog::warn("server unreachable: {}", error.message);
      return EIO;
    case Errc::io:
    case Errc::conflict:
    case Errc::invalid_token:
    case Errc::internal:
      break;
  }
  spdlog::error("{}: {}", errc_name(error.code), error.message);
  return EIO;
}

}  // namespace coffer::fuse
