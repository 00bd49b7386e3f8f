#include "sync/conflict_name.hpp"

#include <algorithm>

namespace coffer::sync {
namespace {

constexpr std::size_t kMaxName = 255;

// `text` cut to at most `size` bytes without splitting a UTF-8 character.
std::string_view utf8_prefix(std::string_view text, std::size_t size) {
  if (text.size() <= size) return text;
  while (size > 0 && (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80) --size;
  return text.substr(0, size);
}

}  // namespace

std::string conflicted_copy_name(std::string_view name, std::string_view host, const std::tm& local_time,
                                 unsigned attempt) {
  std::string_view stem = name;
  std::string_view extension;
  if (auto dot = name.rfind('.'); dot != std::string_view::npos && dot != 0) {
    stem = name.substr(0, dot);
    extension = name.substr(dot);  // with its dot
  }
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H%M%S", &local_time);
  std::string device(host);
  std::replace(device.begin(), device.end(), '/', '-');
  std::string suffix = " (conflicted copy " + device + " " + stamp;
  if (attempt > 1) suffix += " " + std::to_string(attempt);
  suffix += ")";
  suffix = std::string(utf8_prefix(suffix, kMaxName));
  std::size_t room = kMaxName - suffix.size();
  if (extension.size() > room) extension = utf8_prefix(extension, room);
  stem = utf8_prefix(stem, room - extension.size());
  return std::string(stem) + suffix + std::string(extension);
}

}  // namespace coffer::sync
