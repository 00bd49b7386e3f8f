#include "cli/password_prompt.hpp"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace coffer::cli {
namespace {

Result<SecureBytes> read_line_from(int fd) {
  SecureBytes line;
  for (;;) {
    char c = 0;
    ssize_t n = ::read(fd, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error(Errc::io, std::string("cannot read the password: ") + std::strerror(errno));
    if (n == 0 || c == '\n') break;
    line.push_back(static_cast<std::uint8_t>(c));
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Result<SecureBytes> read_file_password(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return make_error(Errc::not_found, path + ": cannot read the password file: " + std::strerror(errno));
  auto line = read_line_from(fd);
  ::close(fd);
  return line;
}

Result<SecureBytes> prompt_once(int tty, const std::string& prompt) {
  (void)!::write(tty, prompt.data(), prompt.size());
  termios saved{};
  bool restore = ::tcgetattr(tty, &saved) == 0;
  if (restore) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(tty, TCSAFLUSH, &quiet);
  }
  auto line = read_line_from(tty);
  if (restore) ::tcsetattr(tty, TCSAFLUSH, &saved);
  (void)!::write(tty, "\n", 1);
  return line;
}

}  // namespace

Result<SecureBytes> read_password(const std::string& prompt, const std::optional<std::string>& file, bool confirm) {
  Result<SecureBytes> password = make_error(Errc::internal, "");
  if (file) {
    password = read_file_password(*file);
  } else {
    int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
    if (tty < 0) {
      return make_error(Errc::invalid_argument, "no terminal to ask for the password; use --password-file FILE");
    }
    password = prompt_once(tty, prompt + ": ");
    if (password && confirm) {
      auto again = prompt_once(tty, prompt + " (again): ");
      if (again && *again != *password) password = make_error(Errc::invalid_argument, "the passwords differ");
    }
    ::close(tty);
  }
  if (password && password->empty()) return make_error(Errc::invalid_argument, "the password is empty");
  return password;
}

Result<std::string> read_terminal_line(const std::string& prompt) {
  int tty = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  if (tty < 0) return make_error(Errc::invalid_argument, "no terminal to ask on");
  (void)!::write(tty, prompt.data(), prompt.size());
  auto line = read_line_from(tty);
  ::close(tty);
  if (!line) return line.error();
  return std::string(line->begin(), line->end());
}

}  // namespace coffer::cli
