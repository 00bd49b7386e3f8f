#include "sync/conflict_name.hpp"

#include <algorithm>

#include "sync/suffixed_name.hpp"

namespace coffer::sync {

std::string conflicted_copy_name(std::string_view name, std::string_view host, const std::tm& local_time,
                                 unsigned attempt) {
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%d %H%M%S", &local_time);
  std::string device(host);
  std::replace(device.begin(), device.end(), '/', '-');
  std::string suffix = " (conflicted copy " + device + " " + stamp;
  if (attempt > 1) suffix += " " + std::to_string(attempt);
  suffix += ")";
  return with_suffix(name, suffix);
}

}  // namespace coffer::sync
