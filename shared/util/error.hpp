#pragma once

#include <string>
#include <utility>

namespace coffer {

// The kinds of failure that cross layers. Each boundary maps them once: the FUSE adaptor to
// errno (fs-daemon/fuse/errno_map), the HTTP layer to status codes (server/http/status_map).
enum class Errc {
  invalid_argument,   // malformed input from a caller
  invalid_token,      // a Fernet token or other encoded value that fails to parse or verify
  integrity,          // stored data fails verification: tampering, truncation, rollback
  not_found,
  already_exists,
  conflict,           // a stale base version or revision
  permission_denied,  // authenticated but not allowed
  unauthenticated,    // no, expired or revoked session; wrong password
  quota_exceeded,
  rate_limited,
  too_large,
  not_empty,
  unavailable,        // the other side cannot be reached or answered 5xx
  io,                 // local disk failure
  unsupported,
  internal,
  aborted,            // not applied because another part of the same request failed
  proof_failed,       // a change that must prove the current password (auth_key) did not
  cross_device,       // EXDEV: an entry would join trees of different owners
  last_admin,         // the change would leave the server without an admin account
  // POSIX conditions only a file system meets (the VFS core), each its own errno.
  not_a_directory,    // ENOTDIR
  is_a_directory,     // EISDIR
  name_too_long,      // ENAMETOOLONG
  no_attribute,       // ENODATA
  out_of_range,       // ERANGE: a buffer too small for an xattr value or list
  not_permitted,      // EPERM
  bad_handle,         // EBADF
  value_too_large,    // E2BIG: an xattr value over the format's limit
  past_end,           // ENXIO: lseek SEEK_DATA/SEEK_HOLE at or past the end of a file's data
  read_only,          // EROFS: a change under the mount's read-only `.coffer` view
  gone,               // a share link that expired or whose downloads are used up (HTTP 410)
};

const char* errc_name(Errc code) noexcept;

struct Error {
  Errc code;
  std::string message;

  Error(Errc c, std::string m) : code(c), message(std::move(m)) {}
};

}  // namespace coffer
