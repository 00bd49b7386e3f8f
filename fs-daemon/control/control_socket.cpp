#include "control/control_socket.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "log/thread_barrier.hpp"

namespace coffer::control {
namespace {

Result<sockaddr_un> address_of(const std::filesystem::path& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.native().size() >= sizeof(address.sun_path)) {
    return make_error(Errc::invalid_argument, path.string() + ": the profile path is too long for a socket");
  }
  std::strcpy(address.sun_path, path.c_str());
  return address;
}

bool send_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::send(fd, text.data() + done, text.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads up to a newline; false when the peer went away or the deadline passed.
bool read_line(int fd, std::string& line, int timeout_ms) {
  char buffer[4096];
  for (;;) {
    if (auto newline = line.find('\n'); newline != std::string::npos) {
      line.resize(newline);
      return true;
    }
    pollfd pfd{fd, POLLIN, 0};
    int ready = ::poll(&pfd, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return false;
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    line.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace

Result<std::unique_ptr<ControlServer>> ControlServer::listen(const std::filesystem::path& path, Handler handler) {
  auto address = address_of(path);
  if (!address) return std::move(address).error();
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error(Errc::io, std::string("socket: ") + std::strerror(errno));
  ::unlink(path.c_str());
  mode_t old_mask = ::umask(077);
  int bound = ::bind(fd, reinterpret_cast<sockaddr*>(&*address), sizeof(sockaddr_un));
  ::umask(old_mask);
  if (bound != 0 || ::listen(fd, 8) != 0) {
    ::close(fd);
    return make_error(Errc::io, path.string() + ": " + std::strerror(errno));
  }
  return std::unique_ptr<ControlServer>(new ControlServer(path, fd, std::move(handler)));
}

ControlServer::ControlServer(std::filesystem::path path, int fd, Handler handler)
    : path_(std::move(path)), fd_(fd), handler_(std::move(handler)) {
  thread_ = std::thread([this] { serve(); });
}

ControlServer::~ControlServer() {
  stopping_ = true;
  ::shutdown(fd_, SHUT_RDWR);
  if (thread_.joinable()) thread_.join();
  std::unique_lock lock(mutex_);
  idle_.wait(lock, [&] { return active_ == 0; });
  ::close(fd_);
  ::unlink(path_.c_str());
}

void ControlServer::serve() {
  while (!stopping_) {
    pollfd pfd{fd_, POLLIN, 0};
    if (::poll(&pfd, 1, 200) <= 0) continue;
    int client = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    // Each request may wait long (a sync), so each gets its own thread.
    {
      std::lock_guard lock(mutex_);
      ++active_;
    }
    auto started = log::barrier("control socket", [&] {
      std::thread([this, client] { answer(client); }).detach();
      return Status{};
    });
    if (!started) finish(client);  // no thread to spare: this request goes unanswered
  }
}

void ControlServer::answer(int client) {
  std::string request;
  if (read_line(client, request, 5000)) {
    std::string reply;
    auto answered = log::barrier("control request", [&] {
      reply = handler_(request);
      return Status{};
    });
    if (!answered) reply = R"({"error":"the daemon failed to answer; see its log"})";
    send_all(client, reply + "\n");
  }
  finish(client);
}

void ControlServer::finish(int client) {
  ::close(client);
  std::lock_guard lock(mutex_);
  --active_;
  idle_.notify_all();
}

Result<std::string> control_request(const std::filesystem::path& path, const std::string& request,
                                    std::chrono::seconds timeout) {
  auto address = address_of(path);
  if (!address) return std::move(address).error();
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return make_error(Errc::io, std::string("socket: ") + std::strerror(errno));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&*address), sizeof(sockaddr_un)) != 0) {
    ::close(fd);
    return make_error(Errc::unavailable, "no coffer daemon runs for this profile");
  }
  std::string answer;
  bool ok = send_all(fd, request + "\n") && read_line(fd, answer, static_cast<int>(timeout.count() * 1000));
  ::close(fd);
  if (!ok) return make_error(Errc::unavailable, "the coffer daemon did not answer");
  return answer;
}

}  // namespace coffer::control
