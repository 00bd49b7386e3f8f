#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace coffer::profile {

// Writes a file readable by its owner only (0600 from creation), atomically: a temporary
// file is written and fsynced, then renamed over the target.
Status write_private_file(const std::filesystem::path& path, std::string_view content);
Result<std::string> read_file(const std::filesystem::path& path);
// Creates the folder (and parents) with mode 0700 when missing.
Status ensure_private_dir(const std::filesystem::path& path);
// fsyncs a folder, so that the names renamed into it last through a crash of the machine.
Status sync_folder(const std::filesystem::path& path);

}  // namespace coffer::profile
