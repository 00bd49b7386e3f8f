#pragma once

#include <nlohmann/json.hpp>

#include "sharing/share_manager.hpp"

namespace coffer::daemon {

// Whether a control request is one of the share requests below.
bool is_share_request(const nlohmann::json& request);

// The control socket's share requests (docs/client.md "Control socket"): {"request": "share",
// "path", "user", "role"}, {"request": "unshare", "path", "user"}, {"request": "shares"}.
// Paths are cloud paths. A failure answers {"error": MESSAGE, "code": ERRC NAME}.
nlohmann::json answer_shares(sharing::ShareManager& shares, const nlohmann::json& request);

}  // namespace coffer::daemon
