#pragma once

#include <chrono>
#include <memory>

#include "cache/chunk_cache.hpp"
#include "cache/metadata_cache.hpp"
#include "cache/plain_chunk_cache.hpp"
#include "cache/version_guard.hpp"
#include "profile/client_config.hpp"
#include "profile/login_store.hpp"
#include "remote/connectivity.hpp"
#include "remote/remote_api.hpp"
#include "sync/journal.hpp"
#include "sync/journal_flusher.hpp"
#include "sync/upload_queue.hpp"
#include "sync/worker_pool.hpp"
#include "vfs/chunk_reader.hpp"
#include "vfs/vfs.hpp"

namespace coffer::mount {

// The journal, caches (chunks, metadata) and rollback guard of one profile, opened without starting any thread
// (the daemon forks after this). A profile of another format (profile::kProfileFormat) is
// refused with Errc::unsupported and what to do.
struct ProfileStores {
  std::unique_ptr<sync::Journal> journal;
  std::unique_ptr<cache::ChunkCache> chunks;
  std::unique_ptr<cache::VersionGuard> guard;
  sync::ConflictHome home;  // this device's name and the root folder (login.json)
  std::unique_ptr<cache::MetadataCache> metadata;  // under a key of this login only

  static Result<ProfileStores> open(const profile::ProfilePaths& paths, const profile::ClientConfig& config,
                                    const profile::Login& login);
};

// The root folder as the server has it, its key unwrapped with the master key and its
// attribute record checked against the highest revision this profile has seen. Starts no
// thread, so `coffer mount` loads it before forking and reports a failure itself.
Result<std::shared_ptr<vfs::Node>> load_root(remote::RemoteApi& remote, cache::VersionGuard& guard,
                                              const profile::LoginInfo& login, const crypto::FernetKey& master_key);

// The server as a mount reaches it: the same session twice, with two patiences.
struct Remotes {
  remote::RemoteApi& background;  // the upload queue: the retry policy, as long as it takes
  remote::RemoteApi& foreground;  // on behalf of FUSE operations: network.foreground_timeout
  remote::Connectivity& connectivity;  // what both last found
};

// Everything a mounted folder runs on, wired together: worker pools, the upload queue, the
// chunk reader and the Vfs over the remotes. Threads start in the constructor; the upload
// queue ends its retry pause when the connectivity goes back online.
class MountRuntime {
 public:
  MountRuntime(Remotes remotes, ProfileStores& stores, const profile::ClientConfig& config);
  ~MountRuntime();

  // Builds the Vfs over the root folder from load_root().
  void open_root(std::shared_ptr<vfs::Node> root);

  vfs::Vfs& vfs() { return *vfs_; }
  sync::UploadQueue& queue() { return *queue_; }
  cache::VersionGuard& guard() { return *stores_.guard; }
  // Waits for every queued op; false with the count left at the deadline.
  Status drain(std::chrono::steady_clock::time_point deadline) { return queue_->drain(deadline); }

 private:
  Remotes remotes_;
  ProfileStores& stores_;
  const profile::ClientConfig& config_;
  cache::PlainChunkCache memory_;
  std::unique_ptr<sync::WorkerPool> encryptors_;
  std::unique_ptr<sync::WorkerPool> fetchers_;
  std::unique_ptr<sync::UploadQueue> queue_;
  std::unique_ptr<sync::JournalFlusher> flusher_;  // journal.sync: background
  std::unique_ptr<vfs::ChunkReader> reader_;
  std::unique_ptr<vfs::ContentServices> content_;
  std::unique_ptr<vfs::Vfs> vfs_;
};

}  // namespace coffer::mount
