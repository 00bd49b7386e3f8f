#include "profile/client_config.hpp"

#include <filesystem>

#include "config/reader.hpp"

namespace coffer::profile {
namespace {

using namespace std::chrono_literals;

Status read_options(config::Reader& reader, ClientConfig& out) {
  std::uint64_t chunk_size = out.chunk_size;
  reader.read_size("chunk_size", chunk_size, 64u << 10, 8u << 20);
  out.chunk_size = static_cast<std::uint32_t>(chunk_size);
  auto cache = reader.section("cache");
  cache.read_size("size", out.cache_size, 16u << 20, 1ull << 50);
  cache.read_size("memory", out.memory_cache, 4u << 20, 64ull << 30);
  auto upload = reader.section("upload");
  upload.read("parallel", out.upload_parallel, 1, 64);
  upload.read_size("batch_size", out.batch_size, 64u << 10, 256u << 20);
  upload.read_size("inline_limit", out.inline_limit, 0, 4u << 20);
  auto read = reader.section("read");
  read.read("readahead", out.readahead, 0, 64);
  auto journal = reader.section("journal");
  journal.read_with("sync", [&](const std::string& value) -> Status {
    if (value == "close") out.journal_sync = true;
    else if (value == "background") out.journal_sync = false;
    else return make_error(Errc::invalid_argument, "'" + value + "' is not one of close, background");
    return {};
  });
  journal.read_duration("flush_interval", out.journal_flush_interval, 1s, 3600s);
  auto network = reader.section("network");
  network.read_duration("connect_timeout", out.connect_timeout, 1s, 300s);
  network.read_duration("stall_timeout", out.stall_timeout, 1s, 3600s);
  network.read("retries", out.retries, 1, 100);
  network.read_duration("foreground_timeout", out.foreground_timeout, 1s, 300s);
  auto mount = reader.section("mount");
  mount.read_duration("fsync_timeout", out.fsync_timeout, 1s, 86400s);
  mount.read_duration("attr_timeout", out.attr_timeout, 0s, 86400s);
  mount.read_duration("unmount_timeout", out.unmount_timeout, 0s, 86400s);
  auto log = reader.section("log");
  log.read_with("level", [&](const std::string& value) -> Status {
    static constexpr const char* kLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
    for (const char* level : kLevels) {
      if (value == level) {
        out.log_level = value;
        return {};
      }
    }
    return make_error(Errc::invalid_argument, "'" + value + "' is not a log level (trace, debug, info, warn, error, critical, off)");
  });
  return reader.finish();
}

}  // namespace

Result<ClientConfig> parse_client_config(std::string_view yaml, const std::string& source) {
  auto reader = config::Reader::parse(yaml, source);
  if (!reader) return std::move(reader).error();
  ClientConfig config;
  COFFER_TRY_STATUS(read_options(*reader, config));
  return config;
}

Result<ClientConfig> load_client_config(const ProfilePaths& paths) {
  if (!std::filesystem::exists(paths.config_file())) return ClientConfig{};
  auto reader = config::Reader::open_file(paths.config_file());
  if (!reader) return std::move(reader).error();
  ClientConfig config;
  COFFER_TRY_STATUS(read_options(*reader, config));
  return config;
}

}  // namespace coffer::profile
