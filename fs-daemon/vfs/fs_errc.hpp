#pragma once

#include <string>

#include "util/error.hpp"

namespace coffer::vfs {

// POSIX conditions only a file system meets, which coffer::Errc (shared/util/error.hpp) has
// no enumerators for. They travel as Errc values past the shared ones, so they cross layers
// like any error, and fuse/errno_map turns each into its errno.
enum class FsErrc : int {
  not_a_directory = 1000,  // ENOTDIR
  is_a_directory,          // EISDIR
  name_too_long,           // ENAMETOOLONG
  no_attribute,            // ENODATA
  out_of_range,            // ERANGE: a buffer too small for an xattr value or list
  not_permitted,           // EPERM
  bad_handle,              // EBADF
  value_too_large,         // E2BIG: an xattr value over the format's limit
};

inline Errc to_errc(FsErrc code) { return static_cast<Errc>(static_cast<int>(code)); }
inline Error fs_error(FsErrc code, std::string message) { return Error(to_errc(code), std::move(message)); }
inline bool is(const Error& error, FsErrc code) { return error.code == to_errc(code); }

}  // namespace coffer::vfs
