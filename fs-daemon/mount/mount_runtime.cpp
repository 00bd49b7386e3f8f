#include "mount/mount_runtime.hpp"

#include <unistd.h>

#include <thread>

#include "crypto/keys.hpp"
#include "vfs/entry_codec.hpp"

namespace coffer::mount {
namespace {

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

}  // namespace

Result<ProfileStores> ProfileStores::open(const profile::ProfilePaths& paths, const profile::ClientConfig& config,
                                          const profile::Login& login) {
  if (login.info.format != profile::kProfileFormat) {
    return make_error(Errc::unsupported,
                      "the profile " + paths.root().string() + " was made by an older coffer (profile format " +
                          std::to_string(login.info.format) + "), whose journal and state this one cannot read; run `coffer --profile " +
                          paths.root().string() + " logout --force`, then log in again");
  }
  ProfileStores stores;
  auto journal = sync::Journal::open(paths.journal_dir(), login.keys.journal_key);
  if (!journal) return std::move(journal).error();
  auto chunks = cache::ChunkCache::open(paths.cache_dir(), config.cache_size);
  if (!chunks) return std::move(chunks).error();
  auto guard = cache::VersionGuard::open(paths.state_db());
  if (!guard) return std::move(guard).error();
  const std::string identity = login.info.server_url + "\n" + std::to_string(login.info.user_id) + "\n" +
                               login.info.root_node_id;
  auto metadata = cache::MetadataCache::open(
      paths.metadata_db(), cache::MetadataCache::derive_key(login.keys.journal_key, identity));
  if (!metadata) return std::move(metadata).error();
  stores.journal = std::move(journal).value();
  stores.chunks = std::move(chunks).value();
  stores.guard = std::move(guard).value();
  stores.home.device = login.info.device.empty() ? host_name() : login.info.device;
  stores.home.root_id = login.info.root_node_id;
  if (auto root_key = crypto::unwrap_key(login.keys.master_key, login.info.root_wrapped_key)) {
    stores.home.root_key = std::move(root_key).value();
  }
  stores.metadata = std::move(metadata).value();
  return stores;
}

namespace {

unsigned encryption_threads() { return std::max(2u, std::thread::hardware_concurrency()); }

}  // namespace

MountRuntime::MountRuntime(Remotes remotes, ProfileStores& stores, const profile::ClientConfig& config)
    : remotes_(remotes),
      stores_(stores),
      config_(config),
      memory_(config.memory_cache),
      encryptors_(std::make_unique<sync::WorkerPool>(encryption_threads())),
      fetchers_(std::make_unique<sync::WorkerPool>(static_cast<unsigned>(std::max<std::int64_t>(config.readahead, 2)))) {
  sync::UploadOptions upload{static_cast<unsigned>(config.upload_parallel), config.batch_size, 1000, stores_.home};
  queue_ = std::make_unique<sync::UploadQueue>(remotes_.background, *stores_.journal, *stores_.chunks, *stores_.guard,
                                               upload);
  reader_ = std::make_unique<vfs::ChunkReader>(remotes_.foreground, *stores_.journal, *stores_.chunks, memory_,
                                               *fetchers_);
  content_ = std::make_unique<vfs::ContentServices>(vfs::ContentServices{
      *reader_, *stores_.journal, *encryptors_, config.journal_sync, 64, 2 * encryption_threads() + 2,
      static_cast<std::size_t>(config.readahead)});
  if (!config.journal_sync) {
    flusher_ = std::make_unique<sync::JournalFlusher>(*stores_.journal, config.journal_flush_interval);
  }
  queue_->start();
  remotes_.connectivity.set_online_listener([queue = queue_.get()] { queue->retry_now(); });
}

// Workers finish their tasks (which use the reader and journal) before anything else goes.
MountRuntime::~MountRuntime() {
  remotes_.connectivity.set_online_listener(nullptr);
  queue_->stop();
  queue_->set_listener(nullptr);
  queue_->set_conflict_listener(nullptr);
  encryptors_.reset();
  fetchers_.reset();
  flusher_.reset();
}

Result<std::shared_ptr<vfs::Node>> load_root(remote::RemoteApi& remote, cache::VersionGuard& guard,
                                              const profile::LoginInfo& login, const crypto::FernetKey& master_key) {
  auto root_key = crypto::unwrap_key(master_key, login.root_wrapped_key);
  if (!root_key) return make_error(Errc::integrity, "the root folder's key does not open with this login's master key");
  auto info = remote.get_node(login.root_node_id);
  if (!info) return std::move(info).error();
  auto root = vfs::open_node(*info, std::move(root_key).value());
  if (!root) return std::move(root).error();
  COFFER_TRY_STATUS(guard.check_revision(login.root_node_id, info->attributes_revision));
  return root;
}

void MountRuntime::open_root(std::shared_ptr<vfs::Node> root) {
  vfs::VfsOptions options;
  options.chunk_size = config_.chunk_size;
  options.inline_limit = config_.inline_limit;
  options.journal_sync = config_.journal_sync;
  options.fsync_timeout = config_.fsync_timeout;
  vfs_ = std::make_unique<vfs::Vfs>(vfs::VfsServices{remotes_.foreground, remotes_.connectivity, *queue_,
                                                     *stores_.journal, *stores_.guard, *content_},
                                    options, std::move(root));
  queue_->set_listener([this](const std::string& id, std::uint64_t version) { vfs_->on_committed(id, version); });
  queue_->set_conflict_listener([this](const sync::ConflictNotice& notice) { vfs_->on_conflict(notice); });
}

}  // namespace coffer::mount
