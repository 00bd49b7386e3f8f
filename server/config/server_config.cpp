#include "server/config/server_config.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstdio>

#include "config/units.hpp"

namespace coffer::server {
namespace {

using std::chrono::seconds;
constexpr seconds kOneYear{std::chrono::hours(24 * 366)};

void read_limits(config::Reader section, Limits& limits) {
  section.read_size("max_request_body", limits.max_request_body, 1 << 10, 1ull << 30);
  section.read_size("max_commit_body", limits.max_commit_body, 1 << 10, 1ull << 30);
  section.read_size("max_blob_size", limits.max_blob_size, 1 << 10, 1ull << 30);
  section.read("max_header_count", limits.max_header_count, 8, 1000);
  section.read_size("max_header_bytes", limits.max_header_bytes, 1 << 10, 1 << 20);
  section.read_duration("request_timeout", limits.request_timeout, seconds(1), seconds(3600));
  section.read_duration("keep_alive_timeout", limits.keep_alive_timeout, seconds(1), seconds(3600));
  section.read_duration("header_timeout", limits.header_timeout, seconds(1), seconds(3600));
  section.read_size("body_min_rate", limits.body_min_rate, 1, 1ull << 30);
  section.read("max_connections", limits.max_connections, 16, 1 << 20);
  section.read("max_connections_per_address", limits.max_connections_per_address, 1, 1 << 20);
  section.read_size("max_body_memory", limits.max_body_memory, 1 << 20, 1ull << 40);
  section.read_duration("max_body_wait", limits.max_body_wait, seconds(1), seconds(3600));
  section.read("io_threads", limits.io_threads, 1, 64);
  section.read("threads", limits.threads, 2, 1024);
  section.read("max_long_polls", limits.max_long_polls, 0, 1024);
}

void read_policies(config::Reader& root, ServerConfig& config) {
  auto sessions = root.section("sessions");
  sessions.read_duration("lifetime", config.sessions.lifetime, seconds(60), kOneYear * 10);
  auto backoff = root.section("login_backoff");
  backoff.read("free_failures", config.login_backoff.free_failures, 1, 1000);
  backoff.read("address_free_failures", config.login_backoff.address_free_failures, 1, 100000);
  backoff.read("max_tracked", config.login_backoff.max_tracked, 1000, 10000000);
  backoff.read_duration("base_delay", config.login_backoff.base_delay, seconds(1), seconds(3600));
  backoff.read_duration("max_delay", config.login_backoff.max_delay, seconds(1), std::chrono::hours(24));
  auto accounts = root.section("accounts");
  accounts.read_optional_size("default_quota", config.accounts.default_quota);
  accounts.read_duration("invite_lifetime", config.accounts.invite_lifetime, seconds(60), kOneYear);
}

// "HH:MM" (daily, local time) or a duration ("6h", "1d").
Status parse_schedule(const std::string& text, BackupSchedule& backup) {
  int hours = 0;
  int minutes = 0;
  char extra = 0;
  if (std::sscanf(text.c_str(), "%2d:%2d%c", &hours, &minutes, &extra) == 2 && text.size() == 5) {
    if (hours > 23 || minutes > 59) return make_error(Errc::invalid_argument, "'" + text + "' is not a time of day");
    backup.daily_at = std::chrono::minutes(hours * 60 + minutes);
    return {};
  }
  auto every = config::parse_duration(text);
  if (!every || *every < std::chrono::minutes(1)) {
    return make_error(Errc::invalid_argument,
                      "'" + text + "' is neither a time of day (03:30) nor a duration of a minute or more (6h, 1d)");
  }
  backup.every = *every;
  return {};
}

void read_backup(config::Reader section, BackupSchedule& backup) {
  std::string dir;
  section.read("dir", dir);
  backup.dir = dir;
  section.read("keep", backup.keep, 0, 100000);
  section.read_with("schedule", [&](const std::string& text) -> Status {
    if (dir.empty()) return make_error(Errc::invalid_argument, "a schedule needs backup.dir, the backup folder");
    return parse_schedule(text, backup);
  });
}

void read_retention(config::Reader& root, ServerConfig& config) {
  auto retention = root.section("retention");
  retention.read_duration("keep_all", config.retention.keep_all, seconds(0), kOneYear * 10);
  retention.read_duration("daily", config.retention.daily, seconds(0), kOneYear * 10);
  retention.read_duration("weekly", config.retention.weekly, seconds(0), kOneYear * 10);
  retention.read_size("max_old_bytes", config.retention.max_old_bytes, 0, UINT64_MAX >> 1);
  retention.read_duration("interval", config.retention.interval, std::chrono::minutes(1), kOneYear);
  auto trash = root.section("trash");
  trash.read_duration("max_age", config.trash.max_age, std::chrono::hours(1), kOneYear * 10);
}

}  // namespace

Result<ListenAddress> ListenAddress::parse(std::string_view text) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0) {
    return make_error(Errc::invalid_argument, "'" + std::string(text) + "' is not HOST:PORT");
  }
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  int port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port < 0 || port > 65535) {
    return make_error(Errc::invalid_argument, "'" + std::string(port_text) + "' is not a TCP port (0..65535)");
  }
  return ListenAddress{std::string(host), port};
}

bool ListenAddress::is_loopback() const {
  if (host == "localhost" || host == "::1") return true;
  in_addr v4{};
  return inet_pton(AF_INET, host.c_str(), &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127;
}

std::string ListenAddress::to_string() const {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

Status ServerConfig::validate() const {
  if (data_dir.empty()) return make_error(Errc::invalid_argument, "no data directory: give --data DIR or data_dir");
  if (std::error_code ec; !web_root.empty() && !std::filesystem::is_directory(web_root, ec)) {
    return make_error(Errc::invalid_argument, "web_root: " + web_root.string() + " is not a directory");
  }
  if (tls_certificate.empty() != tls_private_key.empty()) {
    return make_error(Errc::invalid_argument, "tls.certificate and tls.private_key must be given together");
  }
  if (!uses_tls() && !listen.is_loopback() && !allow_insecure_http) {
    return make_error(Errc::invalid_argument,
                      "refusing plain HTTP on " + listen.to_string() +
                          ": configure tls.certificate and tls.private_key (coffer-admin tls init), "
                          "or set allow_insecure_http: true");
  }
  return {};
}

Result<ServerConfig> read_server_config(config::Reader reader) {
  ServerConfig config;
  std::string data_dir;
  reader.read("data_dir", data_dir);
  config.data_dir = data_dir;
  reader.read_with("listen", [&](const std::string& text) -> Status {
    auto address = ListenAddress::parse(text);
    if (!address) return address.error();
    config.listen = *address;
    return {};
  });
  auto tls = reader.section("tls");
  tls.read("certificate", config.tls_certificate);
  tls.read("private_key", config.tls_private_key);
  reader.read("allow_insecure_http", config.allow_insecure_http);
  std::string web_root;
  reader.read("web_root", web_root);
  config.web_root = web_root;
  reader.read_with("log_level", [&](const std::string& text) -> Status {
    for (const char* level : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
      if (text == level) {
        config.log_level = text;
        return {};
      }
    }
    return make_error(Errc::invalid_argument, "'" + text + "' is not one of trace, debug, info, warn, error, critical, off");
  });
  read_limits(reader.section("limits"), config.limits);
  read_policies(reader, config);
  read_backup(reader.section("backup"), config.backup);
  auto gc = reader.section("gc");
  gc.read_duration("interval", config.gc.interval, std::chrono::minutes(1), kOneYear);
  gc.read_duration("grace", config.gc.grace, std::chrono::minutes(10), kOneYear);
  read_retention(reader, config);
  COFFER_TRY_STATUS(reader.finish());
  return config;
}

Result<ServerConfig> load_server_config(const std::optional<std::filesystem::path>& file) {
  if (!file) return read_server_config(config::Reader::empty());
  auto reader = config::Reader::open_file(*file);
  if (!reader) return reader.error();
  return read_server_config(*reader);
}

}  // namespace coffer::server
