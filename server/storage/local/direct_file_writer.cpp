#include "server/storage/local/direct_file_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace coffer::server::storage {
namespace {

bool pwrite_all(int fd, const std::uint8_t* data, std::size_t size, std::uint64_t offset) {
  while (size > 0) {
    const ssize_t n = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    offset += static_cast<std::uint64_t>(n);
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool turn_on_direct_io(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags | O_DIRECT) == 0;
}

bool turn_off_direct_io(int fd) {
  const int flags = ::fcntl(fd, F_GETFL);
  return flags >= 0 && ::fcntl(fd, F_SETFL, flags & ~O_DIRECT) == 0;
}

}  // namespace

DirectFileWriter::DirectFileWriter(FileDescriptor fd, std::filesystem::path path)
    : fd_(std::move(fd)), path_(std::move(path)), direct_(turn_on_direct_io(fd_.get())) {}

Status DirectFileWriter::append(std::string_view data) {
  while (!data.empty()) {
    const std::size_t take = std::min(data.size(), StagingBuffer::kSize - staged_);
    std::memcpy(staging_.data() + staged_, data.data(), take);
    staged_ += take;
    data.remove_prefix(take);
    if (staged_ == StagingBuffer::kSize) COFFER_TRY_STATUS(write_staged(staged_));
  }
  return {};
}

Status DirectFileWriter::finish() {
  if (staged_ > 0) {
    const std::uint64_t length = written_ + staged_;
    const std::size_t padded = direct_ ? (staged_ + StagingBuffer::kAlignment - 1) / StagingBuffer::kAlignment *
                                             StagingBuffer::kAlignment
                                       : staged_;
    std::memset(staging_.data() + staged_, 0, padded - staged_);
    COFFER_TRY_STATUS(write_staged(padded));
    if (::ftruncate(fd_.get(), static_cast<off_t>(length)) != 0) return io_error("truncating", path_);
  }
  return sync_file(fd_.get(), path_);
}

Status DirectFileWriter::write_staged(std::size_t length) {
  bool ok = pwrite_all(fd_.get(), staging_.data(), length, written_);
  if (!ok && direct_ && errno == EINVAL) {
    // Taken at fcntl time but refused for these writes: write through the cache instead.
    direct_ = false;
    ok = turn_off_direct_io(fd_.get()) && pwrite_all(fd_.get(), staging_.data(), length, written_);
  }
  if (!ok) return io_error("writing", path_);
  written_ += staged_;
  staged_ = 0;
  return {};
}

}  // namespace coffer::server::storage
