#include "log/thread_barrier.hpp"

#include <spdlog/spdlog.h>

#include <string>

namespace coffer::log {

Error report_thrown(std::string_view where, const char* what) {
  spdlog::critical("{}: unexpected exception: {} (the thread goes on; please report this)", where, what);
  return make_error(Errc::internal, std::string(where) + " threw: " + what);
}

}  // namespace coffer::log
