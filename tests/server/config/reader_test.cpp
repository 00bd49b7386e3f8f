#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "config/reader.hpp"
#include "config/units.hpp"

using coffer::config::Reader;
using namespace std::chrono_literals;

namespace {

// The message of the error `finish()` reports for `yaml`, or "" when it passes.
std::string finish_error(const std::string& yaml, const std::function<void(Reader&)>& read) {
  auto reader = Reader::parse(yaml, "test.yaml");
  if (!reader) return reader.error().message;
  read(*reader);
  auto status = reader->finish();
  return status ? "" : status.error().message;
}

}  // namespace

TEST_CASE("sizes and durations parse with units and refuse garbage") {
  CHECK(*coffer::config::parse_size("1024") == 1024);
  CHECK(*coffer::config::parse_size("64K") == 64u << 10);
  CHECK(*coffer::config::parse_size("500M") == 500ull << 20);
  CHECK(*coffer::config::parse_size("10G") == 10ull << 30);
  CHECK(*coffer::config::parse_size("10GiB") == 10ull << 30);
  CHECK(*coffer::config::parse_size("2t") == 2ull << 40);
  CHECK_FALSE(coffer::config::parse_size("").ok());
  CHECK_FALSE(coffer::config::parse_size("G").ok());
  CHECK_FALSE(coffer::config::parse_size("1.5G").ok());
  CHECK_FALSE(coffer::config::parse_size("-1").ok());
  CHECK_FALSE(coffer::config::parse_size("99999999999999999999").ok());
  CHECK_FALSE(coffer::config::parse_size("20000000000T").ok());
  CHECK(coffer::config::format_size(10ull << 30) == "10G");
  CHECK(coffer::config::format_size(1536) == "1536");
  CHECK(coffer::config::format_size_approx(1536) == "1.5K");
  CHECK(*coffer::config::parse_duration("30") == 30s);
  CHECK(*coffer::config::parse_duration("5m") == 300s);
  CHECK(*coffer::config::parse_duration("30d") == std::chrono::seconds(30 * 86400));
  CHECK_FALSE(coffer::config::parse_duration("5 minutes").ok());
  CHECK(coffer::config::format_duration(std::chrono::seconds(86400 * 2)) == "2d");
}

TEST_CASE("values are read over defaults, absent keys keep them") {
  auto reader = Reader::parse("name: coffer\nlimits:\n  size: 2M\n  on: yes\n", "test.yaml");
  REQUIRE(reader);
  std::string name = "default";
  std::string other = "kept";
  reader->read("name", name);
  reader->read("other", other);
  auto limits = reader->section("limits");
  std::uint64_t size = 0;
  bool on = false;
  limits.read_size("size", size, 0, 1ull << 30);
  limits.read("on", on);
  CHECK(reader->finish());
  CHECK(name == "coffer");
  CHECK(other == "kept");
  CHECK(size == 2u << 20);
  CHECK(on);
}

TEST_CASE("an unknown key names the file, the line and the dotted key") {
  const auto message = finish_error("a: 1\nlimits:\n  size: 1K\n  sise: 2K\n", [](Reader& r) {
    std::int64_t a = 0;
    r.read("a", a, 0, 10);
    std::uint64_t size = 0;
    r.section("limits").read_size("size", size, 0, 1 << 20);
  });
  CHECK(message == "test.yaml:4: limits.sise: unknown option");
}

TEST_CASE("a bad value names the file, the line and the key, and says what is wrong") {
  const auto message = finish_error("\n\nthreads: many\n", [](Reader& r) {
    std::int64_t threads = 4;
    r.read("threads", threads, 1, 100);
  });
  CHECK(message == "test.yaml:3: threads: 'many' is not a whole number");
  CHECK(finish_error("threads: 1000\n", [](Reader& r) {
          std::int64_t threads = 4;
          r.read("threads", threads, 1, 100);
        }) == "test.yaml:1: threads: 1000 is outside 1..100");
  CHECK(finish_error("on: maybe\n", [](Reader& r) {
          bool on = false;
          r.read("on", on);
        }) == "test.yaml:1: on: 'maybe' is not true or false");
  CHECK(finish_error("s:\n  t: [1, 2]\n", [](Reader& r) {
          std::string t;
          r.section("s").read("t", t);
        }) == "test.yaml:2: s.t: expected a single value, not a list or a mapping");
}

TEST_CASE("YAML syntax errors and non-mapping files are refused with a line") {
  auto broken = Reader::parse("a: 1\nb: [unclosed\n", "broken.yaml");
  REQUIRE_FALSE(broken);
  CHECK(broken.error().message.rfind("broken.yaml:", 0) == 0);
  CHECK(broken.error().message.find("YAML syntax") != std::string::npos);
  auto list = Reader::parse("- a\n- b\n", "list.yaml");
  REQUIRE_FALSE(list);
  CHECK(list.error().message.find("list.yaml:1:") == 0);
}

TEST_CASE("an empty file and no file leave every default") {
  auto reader = Reader::parse("", "empty.yaml");
  REQUIRE(reader);
  std::string value = "default";
  reader->read("value", value);
  CHECK(reader->finish());
  CHECK(value == "default");
  auto none = Reader::empty();
  none.read("value", value);
  CHECK(none.finish());
}

TEST_CASE("optional sizes accept null and unlimited") {
  std::optional<std::uint64_t> quota = 5;
  auto reader = Reader::parse("quota: null\n", "q.yaml");
  REQUIRE(reader);
  reader->read_optional_size("quota", quota);
  CHECK(reader->finish());
  CHECK_FALSE(quota.has_value());
  auto limited = Reader::parse("quota: 10G\n", "q.yaml");
  limited->read_optional_size("quota", quota);
  CHECK(limited->finish());
  CHECK(quota == (10ull << 30));
}
