#pragma once

#include <string>
#include <vector>

#include "util/result.hpp"

namespace coffer::vfs {

// The names of a path from the cloud's root ("/docs/a.txt", "docs/a.txt"), in order; empty
// names and "." are skipped, ".." is refused (a cloud path names a place, not a walk).
Result<std::vector<std::string>> cloud_path_names(const std::string& path);

}  // namespace coffer::vfs
