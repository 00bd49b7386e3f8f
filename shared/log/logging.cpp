#include "log/logging.hpp"

#include <sys/stat.h>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace coffer::log {
namespace {

// True when stderr is the stream systemd connected to the journal: JOURNAL_STREAM holds its
// "device:inode", which a child's redirected stderr no longer matches.
bool stderr_is_journal() {
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
  struct stat status {};
  return ::fstat(2, &status) == 0 && status.st_dev == device && status.st_ino == inode;
}

// "%*": the sd-daemon priority prefix the journal reads a line's level from.
class JournalPriority : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& message, const std::tm&, spdlog::memory_buf_t& out) override {
    static constexpr const char* kPrefixes[] = {"<7>", "<7>", "<6>", "<4>", "<3>", "<2>", "<6>"};
    const char* prefix = kPrefixes[static_cast<int>(message.level)];
    out.append(prefix, prefix + 3);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JournalPriority>(); }
};

spdlog::level::level_enum level_of(const std::string& level) {
  auto parsed = spdlog::level::from_str(level);
  return parsed == spdlog::level::off && level != "off" ? spdlog::level::info : parsed;
}

}  // namespace

void init(const std::string& program, const std::string& level) {
  spdlog::drop(program);
  auto logger = spdlog::stderr_color_mt(program);
  if (stderr_is_journal()) {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    formatter->add_flag<JournalPriority>('*').set_pattern("%*%l %v");
    logger->set_formatter(std::move(formatter));
  } else {
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ " + program + ": %v");
  }
  logger->set_level(level_of(level));
  spdlog::set_default_logger(logger);
}

void set_level(const std::string& level) { spdlog::default_logger()->set_level(level_of(level)); }

}  // namespace coffer::log
