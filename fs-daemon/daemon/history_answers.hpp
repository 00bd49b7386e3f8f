#pragma once

#include <nlohmann/json.hpp>

#include "history/history.hpp"

namespace coffer::daemon {

// The control socket's history requests, one JSON object per line (docs/client.md "Control
// socket"): {"request": "versions", "path"}, {"request": "restore", "path", "version", "to"?},
// {"request": "trash_list"}, {"request": "trash_restore", "item", "to"?},
// {"request": "trash_empty", "older_than"?}, {"request": "ls_at", "path", "at"}. Paths are cloud
// paths ("/docs/a.txt"). A failure answers {"error": MESSAGE, "code": ERRC NAME}.
nlohmann::json answer_history(history::History& history, const nlohmann::json& request);

}  // namespace coffer::daemon
