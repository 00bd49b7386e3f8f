#pragma once

#include <memory>
#include <string>
#include <vector>

#include "profile/client_config.hpp"
#include "profile/login_store.hpp"
#include "remote/connectivity.hpp"
#include "remote/history_api.hpp"
#include "remote/remote_api.hpp"
#include "remote/share_api.hpp"

namespace coffer::daemon {

struct MountRequest {
  profile::ProfilePaths paths;
  profile::ClientConfig config;
  profile::Login login;
  std::string mountpoint;                 // absolute
  std::vector<std::string> fuse_options;  // from `-o`
  bool foreground = false;
  std::shared_ptr<remote::RemoteApi> remote;      // background: the upload queue, the change feed
  std::shared_ptr<remote::RemoteApi> foreground_remote;  // the same session, network.foreground_timeout
  std::shared_ptr<remote::Connectivity> connectivity;    // what both remotes last found
  std::shared_ptr<remote::HistoryApi> history_remote;    // the history routes, foreground
  std::shared_ptr<remote::ShareApi> share_remote;        // the sharing routes, foreground
};

// `coffer mount`: uploads what an earlier run left in the journal, mounts the folder, detaches
// (unless foreground; the calling process then exits once the mount is ready), serves until
// the folder is unmounted, then waits for the upload queue (mount.unmount_timeout) and
// returns. Errors before the mount are returned; later ones go to the log.
Status run_mount(const MountRequest& request);

}  // namespace coffer::daemon
