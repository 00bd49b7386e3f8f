#include "log/logging.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace coffer::log {

void init(const std::string& program, const std::string& level) {
  spdlog::drop(program);
  auto logger = spdlog::stderr_color_mt(program);
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ " + program + ": %v");
  auto parsed = spdlog::level::from_str(level);
  logger->set_level(parsed == spdlog::level::off && level != "off" ? spdlog::level::info : parsed);
  spdlog::set_default_logger(logger);
}

}  // namespace coffer::log
