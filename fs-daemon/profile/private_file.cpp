#include "profile/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace coffer::profile {
namespace {

Error io_error(const std::filesystem::path& path, const char* what) {
  return make_error(Errc::io, path.string() + ": " + what + ": " + std::strerror(errno));
}

}  // namespace

Status write_private_file(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error(temporary, "cannot create");
  ::fchmod(fd, 0600);
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return io_error(temporary, "cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return io_error(temporary, "cannot write");
  if (::rename(temporary.c_str(), path.c_str()) != 0) return io_error(path, "cannot replace");
  return {};
}

Result<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::not_found, path.string() + ": cannot open");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Status ensure_private_dir(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return make_error(Errc::io, path.string() + ": cannot create the folder: " + ec.message());
  ::chmod(path.c_str(), 0700);
  return {};
}

Status sync_folder(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error(path, "cannot open");
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return io_error(path, "cannot sync");
  return {};
}

}  // namespace coffer::profile
