#include "sync/mapped_blob.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace coffer::sync {
namespace {

Error mapping_error(const std::filesystem::path& path, int error) {
  return make_error(error == ENOENT ? Errc::not_found : Errc::io,
                    "journal blob " + path.filename().string() + ": " + std::strerror(error));
}

}  // namespace

Result<MappedBlob> MappedBlob::open(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return mapping_error(path, errno);
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    const int error = errno;
    ::close(fd);
    return mapping_error(path, error);
  }
  const auto size = static_cast<std::size_t>(info.st_size);
  void* address = nullptr;
  if (size > 0) {
    // Populated at once: the upload reads every page, and one call is cheaper than a fault each.
    address = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  }
  const int error = errno;
  ::close(fd);
  if (address == MAP_FAILED) return mapping_error(path, error);
  return MappedBlob(address, size);
}

MappedBlob::MappedBlob(MappedBlob&& other) noexcept : address_(other.address_), size_(other.size_) {
  other.address_ = nullptr;
  other.size_ = 0;
}

MappedBlob::~MappedBlob() {
  if (address_ != nullptr) ::munmap(address_, size_);
}

}  // namespace coffer::sync
