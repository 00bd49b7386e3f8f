#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "server/config/server_config.hpp"

using coffer::config::Reader;
using coffer::server::ListenAddress;
using coffer::server::read_server_config;

namespace {

coffer::Result<coffer::server::ServerConfig> parse(const std::string& yaml) {
  auto reader = Reader::parse(yaml, "cofferd.yaml");
  if (!reader) return reader.error();
  return read_server_config(*reader);
}

}  // namespace

TEST_CASE("the embedded defaults need no file") {
  auto config = read_server_config(Reader::empty());
  REQUIRE(config);
  CHECK(config->listen.host == "127.0.0.1");
  CHECK(config->listen.port == 8443);
  CHECK(config->limits.max_blob_size == 16u << 20);
  CHECK_FALSE(config->uses_tls());
  CHECK_FALSE(config->validate().ok());  // no data directory yet
  config->data_dir = "/tmp/x";
  CHECK(config->validate());
}

TEST_CASE("a full file is read") {
  auto config = parse(
      "data_dir: /srv/coffer\n"
      "listen: 0.0.0.0:9000\n"
      "tls:\n  certificate: c.pem\n  private_key: k.pem\n"
      "log_level: debug\n"
      "limits:\n  max_blob_size: 4M\n  threads: 8\n  request_timeout: 1m\n"
      "sessions:\n  lifetime: 7d\n"
      "login_backoff:\n  free_failures: 3\n"
      "accounts:\n  default_quota: 10G\n");
  REQUIRE(config);
  CHECK(config->data_dir == "/srv/coffer");
  CHECK(config->listen.to_string() == "0.0.0.0:9000");
  CHECK(config->uses_tls());
  CHECK(config->validate());
  CHECK(config->limits.max_blob_size == 4u << 20);
  CHECK(config->limits.request_timeout == std::chrono::seconds(60));
  CHECK(config->sessions.lifetime == std::chrono::hours(24 * 7));
  CHECK(config->login_backoff.free_failures == 3);
  CHECK(config->accounts.default_quota == (10ull << 30));
}

TEST_CASE("bad values and unknown keys stop the start with file, line and key") {
  auto bad_listen = parse("data_dir: /d\nlisten: nowhere\n");
  REQUIRE_FALSE(bad_listen);
  CHECK(bad_listen.error().message == "cofferd.yaml:2: listen: 'nowhere' is not HOST:PORT");
  auto bad_port = parse("listen: 127.0.0.1:70000\n");
  REQUIRE_FALSE(bad_port);
  CHECK(bad_port.error().message.find("cofferd.yaml:1: listen:") == 0);
  auto unknown = parse("limits:\n  threads: 4\n  max_blob: 1M\n");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message == "cofferd.yaml:3: limits.max_blob: unknown option");
  auto level = parse("log_level: loud\n");
  REQUIRE_FALSE(level);
  CHECK(level.error().message.find("cofferd.yaml:1: log_level: 'loud'") == 0);
  auto small = parse("limits:\n  max_request_body: 12\n");
  REQUIRE_FALSE(small);
  CHECK(small.error().message.find("cofferd.yaml:2: limits.max_request_body:") == 0);
}

TEST_CASE("plain HTTP off loopback needs allow_insecure_http, TLS needs both files") {
  auto open = parse("data_dir: /d\nlisten: 0.0.0.0:80\n");
  REQUIRE(open);
  CHECK_FALSE(open->validate().ok());
  auto allowed = parse("data_dir: /d\nlisten: 0.0.0.0:80\nallow_insecure_http: true\n");
  REQUIRE(allowed);
  CHECK(allowed->validate());
  auto half_tls = parse("data_dir: /d\ntls:\n  certificate: c.pem\n");
  REQUIRE(half_tls);
  CHECK_FALSE(half_tls->validate().ok());
}

TEST_CASE("listen addresses") {
  CHECK(ListenAddress::parse("127.0.0.1:8443")->is_loopback());
  CHECK(ListenAddress::parse("127.8.9.1:1")->is_loopback());
  CHECK(ListenAddress::parse("localhost:1")->is_loopback());
  CHECK(ListenAddress::parse("[::1]:443")->is_loopback());
  CHECK(ListenAddress::parse("[::1]:443")->to_string() == "[::1]:443");
  CHECK_FALSE(ListenAddress::parse("10.0.0.1:443")->is_loopback());
  CHECK_FALSE(ListenAddress::parse(":443").ok());
  CHECK_FALSE(ListenAddress::parse("host:").ok());
  CHECK_FALSE(ListenAddress::parse("host:x1").ok());
}

TEST_CASE("a missing file is refused with its name") {
  auto missing = coffer::server::load_server_config(std::filesystem::path("/nonexistent/cofferd.yaml"));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message.find("/nonexistent/cofferd.yaml") == 0);
}

TEST_CASE("backup schedules: a time of day or an interval, and never without a folder") {
  auto daily = parse("backup:\n  dir: /srv/backup\n  schedule: \"03:30\"\n  keep: 7\n");
  REQUIRE(daily);
  CHECK(daily->backup.enabled());
  CHECK(daily->backup.daily_at == std::chrono::minutes(210));
  CHECK(daily->backup.keep == 7);
  auto every = parse("backup:\n  dir: /srv/backup\n  schedule: 6h\n");
  REQUIRE(every);
  CHECK(every->backup.every == std::chrono::hours(6));
  CHECK(every->backup.keep == 14);
  CHECK_FALSE(read_server_config(Reader::empty())->backup.enabled());

  auto no_dir = parse("backup:\n  schedule: 6h\n");
  REQUIRE_FALSE(no_dir);
  CHECK(no_dir.error().message == "cofferd.yaml:2: backup.schedule: a schedule needs backup.dir, the backup folder");
  auto bad_time = parse("backup:\n  dir: /b\n  schedule: \"25:00\"\n");
  REQUIRE_FALSE(bad_time);
  CHECK(bad_time.error().message.find("cofferd.yaml:3: backup.schedule:") == 0);
}

TEST_CASE("gc runs daily with a day's grace unless told otherwise") {
  auto defaults = read_server_config(Reader::empty());
  REQUIRE(defaults);
  CHECK(defaults->gc.interval == std::chrono::hours(24));
  CHECK(defaults->gc.grace == std::chrono::hours(24));
  auto set = parse("gc:\n  interval: 6h\n  grace: 2h\n");
  REQUIRE(set);
  CHECK(set->gc.interval == std::chrono::hours(6));
  CHECK(set->gc.grace == std::chrono::hours(2));
  auto too_short = parse("gc:\n  grace: 1s\n");
  REQUIRE_FALSE(too_short);
  CHECK(too_short.error().message.find("cofferd.yaml:2: gc.grace:") == 0);
}

TEST_CASE("retention and trash expiry: the documented defaults, and bad values refused with file, line and key") {
  auto defaults = read_server_config(Reader::empty());
  REQUIRE(defaults);
  CHECK(defaults->retention.keep_all == std::chrono::hours(24));
  CHECK(defaults->retention.daily == std::chrono::hours(24 * 30));
  CHECK(defaults->retention.weekly == std::chrono::hours(24 * 365));
  CHECK(defaults->retention.max_old_bytes == 0u);
  CHECK(defaults->retention.interval == std::chrono::hours(1));
  CHECK(defaults->trash.max_age == std::chrono::hours(24 * 30));
  auto set = parse("retention:\n  keep_all: 2d\n  daily: 0s\n  weekly: 90d\n  max_old_bytes: 5G\n  interval: 10m\n"
                   "trash:\n  max_age: 7d\n");
  REQUIRE(set);
  CHECK(set->retention.keep_all == std::chrono::hours(48));
  CHECK(set->retention.daily == std::chrono::seconds(0));
  CHECK(set->retention.weekly == std::chrono::hours(24 * 90));
  CHECK(set->retention.max_old_bytes == 5ull << 30);
  CHECK(set->retention.interval == std::chrono::minutes(10));
  CHECK(set->trash.max_age == std::chrono::hours(24 * 7));
  auto bad_size = parse("retention:\n  max_old_bytes: lots\n");
  REQUIRE_FALSE(bad_size);
  CHECK(bad_size.error().message.find("cofferd.yaml:2: retention.max_old_bytes:") == 0);
  auto too_soon = parse("retention:\n  interval: 5s\n");
  REQUIRE_FALSE(too_soon);
  CHECK(too_soon.error().message.find("cofferd.yaml:2: retention.interval:") == 0);
  auto unknown = parse("trash:\n  max_age: 30d\n  keep: 3\n");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().message.find("cofferd.yaml:3: trash.keep") == 0);
}
