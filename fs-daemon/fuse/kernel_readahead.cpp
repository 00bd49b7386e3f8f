#include "fuse/kernel_readahead.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <optional>
#include <sstream>

namespace coffer::fuse {
namespace {

// /proc/self/mountinfo writes space, tab, newline and backslash in paths as octal escapes.
std::string mountinfo_escaped(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == ' ') out += "\\040";
    else if (c == '\t') out += "\\011";
    else if (c == '\n') out += "\\012";
    else if (c == '\\') out += "\\134";
    else out += c;
  }
  return out;
}

// MAJOR:MINOR of the newest mount at `mountpoint`, read without touching the mount itself
// (a stat would wait for the FUSE session this thread has yet to serve).
std::optional<std::string> device_of(const std::string& mountpoint) {
  std::ifstream mountinfo("/proc/self/mountinfo");
  const std::string wanted = mountinfo_escaped(mountpoint);
  std::optional<std::string> device;
  for (std::string line; std::getline(mountinfo, line);) {
    std::istringstream fields(line);
    std::string id, parent, major_minor, root, point;
    if (fields >> id >> parent >> major_minor >> root >> point && point == wanted) device = major_minor;
  }
  return device;
}

}  // namespace

void raise_kernel_readahead(const std::string& mountpoint, unsigned kib) {
  auto device = device_of(mountpoint);
  if (!device) {
    spdlog::debug("kernel readahead stays at its default: {} is not in /proc/self/mountinfo", mountpoint);
    return;
  }
  std::ofstream setting("/sys/class/bdi/" + *device + "/read_ahead_kb");
  setting << kib << '\n';
  setting.flush();
  if (!setting) spdlog::debug("kernel readahead stays at its default: cannot write read_ahead_kb of {}", *device);
}

}  // namespace coffer::fuse
