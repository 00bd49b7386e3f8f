#pragma once

#include <nlohmann/json.hpp>

#include "vfs/vfs.hpp"

namespace coffer::daemon {

// Whether a control request is the link request below.
bool is_link_request(const nlohmann::json& request);

// {"request": "link_target", "path"} (docs/client.md "Control socket"): what `coffer link`
// seals into a share link, for the file or folder at a cloud path: {"node", "kind": "file" |
// "folder", "key": the node key as a standard base64url Fernet key, "path"}. The root folder,
// symlinks and special files cannot be linked. A failure answers {"error", "code"}. The
// socket is the profile owner's alone (bound under umask 077 in the profile directory, which
// already holds login.json with the master key), so the key goes nowhere it was not.
nlohmann::json answer_link(vfs::Vfs& vfs, const nlohmann::json& request);

}  // namespace coffer::daemon
