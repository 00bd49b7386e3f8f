#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_support.hpp"
#include "cli/daemon_link.hpp"

// What the commands that work through the running mount daemon share (history and sharing):
// its mount point, paths as the cloud names them, and one request answered.
namespace coffer::cli {

// The daemon's mount point; without a daemon the command fails, saying how to start one.
std::string mountpoint_of(const char* command, const profile::ProfilePaths& paths);

// PATH as a path from the cloud's root: a path inside the mount (absolute, or relative to the
// working directory) loses the mount point; anything else already is one ("docs/a.txt" and
// "/docs/a.txt" alike).
std::string cloud_path(const std::string& mountpoint, const std::string& path);

// Sends one JSON request and returns the answer; an error answer fails the command with it.
// The daemon answers when done: a restore of a large tree may take long, so the wait is an hour.
nlohmann::json ask_daemon(const char* command, const profile::ProfilePaths& paths, const nlohmann::json& request);

}  // namespace coffer::cli
