#pragma once

#include "util/error.hpp"

namespace coffer::fuse {

// The one place where errors become errno values (DESIGN.md section 4). Anything unexpected
// is logged and answered with EIO.
int errno_of(const Error& error);

}  // namespace coffer::fuse
