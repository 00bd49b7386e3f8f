#include "server/storage/local/posix_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace coffer::server::storage {

Error io_error(std::string_view what, const std::filesystem::path& path) {
  return make_error(Errc::io, std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

Status write_all(int fd, std::string_view data, const std::filesystem::path& path) {
  while (!data.empty()) {
    const ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return io_error("writing", path);
    }
    data.remove_prefix(static_cast<std::size_t>(written));
  }
  return {};
}

Status sync_file(int fd, const std::filesystem::path& path) {
  if (::fdatasync(fd) != 0) return io_error("syncing", path);
  return {};
}

Status sync_directory(const std::filesystem::path& path) {
  FileDescriptor dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) return io_error("opening", path);
  if (::fsync(dir.get()) != 0) return io_error("syncing", path);
  return {};
}

Status sync_file_system(const std::filesystem::path& path) {
  FileDescriptor dir(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) return io_error("opening", path);
  if (::syncfs(dir.get()) != 0) return io_error("syncing the file system of", path);
  return {};
}

FileDescriptor& FileDescriptor::operator=(FileDescriptor&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

FileDescriptor::~FileDescriptor() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace coffer::server::storage
