#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "profile/login_store.hpp"
#include "profile/profile_paths.hpp"
#include "util/result.hpp"

namespace coffer::cli {

// Requests to the profile's running mount daemon over its control socket.
bool daemon_running(const profile::ProfilePaths& paths);
Result<nlohmann::json> daemon_request(const profile::ProfilePaths& paths, const std::string& request,
                                      std::chrono::seconds timeout);
// Asks the running daemon to upload what it holds and waits up to `wait` for it, so that a
// command about a path just written (share, link) finds it on the server. Not drained
// (offline, or a change the server refuses): the command goes on with what the server has.
void upload_pending_first(const profile::ProfilePaths& paths, std::chrono::seconds wait = std::chrono::seconds(60));
// Changes waiting in the journal of a profile whose daemon is not running.
std::uint64_t pending_journal_ops(const profile::ProfilePaths& paths, const profile::ProfileKeys& keys);
// The journal's part of a daemon's status answer (pending_ops, set_aside, set_aside_latest,
// damaged), read from the journal of a profile whose daemon is not running.
Result<nlohmann::json> journal_status(const profile::ProfilePaths& paths, const profile::ProfileKeys& keys);
// "12 changes (3.4M)" for messages.
std::string describe_pending(std::uint64_t ops, std::uint64_t bytes);

}  // namespace coffer::cli
