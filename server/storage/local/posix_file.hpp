#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace coffer::server::storage {

// Small wrappers over POSIX file calls that report errno as Errc::io with the path.
Error io_error(std::string_view what, const std::filesystem::path& path);
Status write_all(int fd, std::string_view data, const std::filesystem::path& path);
Status sync_file(int fd, const std::filesystem::path& path);
Status sync_directory(const std::filesystem::path& path);
// syncfs(2): everything written to the file system holding `path`, in one call.
Status sync_file_system(const std::filesystem::path& path);

// Closes a descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd = -1) : fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  FileDescriptor& operator=(FileDescriptor&& other) noexcept;
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor();
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_;
};

}  // namespace coffer::server::storage
