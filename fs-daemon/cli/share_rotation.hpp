#pragma once

#include <string>

#include "profile/profile_paths.hpp"

namespace coffer::cli {

// `coffer share rotate PATH` (docs/crypto.md "Rotation"): PATH is copied through the mount,
// so that every node below it gets a fresh random key and its content is encrypted again; the
// copy and the original swap places in one exchange, the grants on the old nodes are made again
// on the new ones (sealed anew for each remaining grantee) and revoked on the old ones, and the
// old tree goes to the trash, where its versions stay readable to the owner until it expires.
// Fails the command on any error, leaving the original in place when the copy did not finish.
void rotate_share(const char* command, const profile::ProfilePaths& paths, const std::string& mountpoint,
                  const std::string& cloud_path);

}  // namespace coffer::cli
