#include "server/service/context.hpp"

#include "util/unix_time.hpp"

namespace coffer::server::service {

std::int64_t system_seconds() { return unix_now(); }

}  // namespace coffer::server::service
