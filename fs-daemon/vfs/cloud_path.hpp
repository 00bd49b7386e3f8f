#pragma once

#include <string>
#include <utility>
#include <vector>

#include "util/result.hpp"

namespace coffer::vfs {

// The names of a path from the cloud's root ("/docs/a.txt", "docs/a.txt"), in order; empty
// names and "." are skipped, ".." is refused (a cloud path names a place, not a walk).
Result<std::vector<std::string>> cloud_path_names(const std::string& path);

// A path from the cloud's root split into its folder and its last name, trailing slashes
// dropped: "/docs/a.txt" and "docs/a.txt" -> ("/docs", "a.txt"); "/a" -> ("/", "a").
std::pair<std::string, std::string> cloud_parent_and_name(std::string path);

}  // namespace coffer::vfs
