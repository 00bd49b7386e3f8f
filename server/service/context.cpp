#include "server/service/context.hpp"

#include <chrono>

namespace coffer::server::service {

std::int64_t system_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace coffer::server::service
