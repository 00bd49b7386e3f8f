#pragma once

#include <filesystem>
#include <string_view>

#include "server/storage/local/posix_file.hpp"
#include "server/storage/local/staging_buffer.hpp"

namespace coffer::server::storage {

// Appends to a new file, bypassing the page cache (O_DIRECT) where the file system allows it.
// An uploaded blob is made durable before it is acknowledged and is seldom read soon after, so
// copying it into the page cache on the way to the disk buys nothing; on the machine in
// docs/performance.md that copy was half of the server's CPU during a 512 MiB upload. Bytes gather in an aligned staging buffer and go to the disk in whole
// aligned pieces; finish() writes the padded tail and cuts the file back to its length. Where
// O_DIRECT is refused (tmpfs), the same calls write through the cache.
class DirectFileWriter {
 public:
  DirectFileWriter(FileDescriptor fd, std::filesystem::path path);

  Status append(std::string_view data);
  // Everything appended is on the disk and durable (fdatasync) once this returns.
  Status finish();

 private:
  Status write_staged(std::size_t length);

  FileDescriptor fd_;
  std::filesystem::path path_;
  StagingBuffer staging_;
  std::size_t staged_ = 0;
  std::uint64_t written_ = 0;
  bool direct_ = false;
};

}  // namespace coffer::server::storage
