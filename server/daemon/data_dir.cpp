#include "server/daemon/data_dir.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace coffer::server::daemon {
namespace {

Status make_private_dir(const std::filesystem::path& path) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) return {};
  std::filesystem::create_directories(path, error);
  if (error) return make_error(Errc::io, "cannot create the data directory " + path.string() + ": " + error.message());
  std::filesystem::permissions(path, std::filesystem::perms::owner_all, error);
  return {};
}

Result<int> take_lock(const std::filesystem::path& file) {
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(Errc::io, "cannot open " + file.string() + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return make_error(Errc::unavailable, "another cofferd is using this data directory (" + file.string() + ")");
  }
  return fd;
}

}  // namespace

Result<std::unique_ptr<DataDir>> DataDir::open(const std::filesystem::path& path, Role role,
                                               std::size_t max_connections) {
  COFFER_TRY_STATUS(make_private_dir(path));
  std::unique_ptr<DataDir> dir(new DataDir());
  dir->path_ = path;
  if (role == Role::server) {
    auto lock = take_lock(path / "cofferd.lock");
    if (!lock) return lock.error();
    dir->lock_fd_ = *lock;
  }
  storage::sqlite::SqliteMetadataStore::Options options;
  options.max_connections = max_connections;
  auto metadata = storage::sqlite::SqliteMetadataStore::open(path / "coffer.db", options);
  if (!metadata) return make_error(metadata.error().code, (path / "coffer.db").string() + ": " + metadata.error().message);
  dir->metadata_ = std::move(*metadata);
  // Only the server clears the blob store's temp folder: coffer-admin must not remove the
  // files of uploads a running cofferd is receiving.
  auto blobs = role == Role::server ? storage::LocalBlobStore::open(path / "blobs")
                                    : storage::LocalBlobStore::attach(path / "blobs");
  if (!blobs) return blobs.error();
  dir->blobs_ = std::move(*blobs);
  return dir;
}

DataDir::~DataDir() {
  blobs_.reset();
  metadata_.reset();
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

}  // namespace coffer::server::daemon
