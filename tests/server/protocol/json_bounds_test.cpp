#include <doctest/doctest.h>

#include <string>

#include "protocol/json_reader.hpp"

using namespace coffer;
using coffer::protocol::JsonBounds;
using coffer::protocol::parse_json_text;

namespace {

std::string nested_arrays(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string zeros_array(std::size_t count) {
  std::string text = "[";
  for (std::size_t i = 0; i < count; ++i) text += i == 0 ? "0" : ",0";
  return text + "]";
}

}  // namespace

TEST_CASE("JSON deeper than the bound is refused, and at the bound is read") {
  CHECK(parse_json_text(nested_arrays(64)).ok());
  auto deep = parse_json_text(nested_arrays(65));
  REQUIRE_FALSE(deep.ok());
  CHECK(deep.error().code == Errc::invalid_argument);
  CHECK(deep.error().message.find("deeper than 64") != std::string::npos);
  CHECK_FALSE(parse_json_text(nested_arrays(100000)).ok());
}

TEST_CASE("dense JSON is refused before it costs more than a small multiple of its size") {
  // 2 bytes of text per element, each a 32-byte value slot: 16 times the text.
  const std::string dense = zeros_array(200000);
  auto refused = parse_json_text(dense);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message.find("times its") != std::string::npos);
  // Under the floor, small texts of any shape are read.
  CHECK(parse_json_text(zeros_array(1000)).ok());
}

TEST_CASE("ordinary request shapes stay within the bounds") {
  std::string ops = "{\"ops\":[";
  for (int i = 0; i < 5000; ++i) {
    ops += std::string(i == 0 ? "" : ",") + "{\"op\":\"remove\",\"parent\":\"" + std::string(32, 'a') +
           "\",\"name_tag\":\"" + std::string(43, 'b') + "\"}";
  }
  ops += "]}";
  auto parsed = parse_json_text(ops);
  REQUIRE(parsed.ok());
  CHECK(parsed->at("ops").size() == 5000);
  CHECK_FALSE(parse_json_text("{\"a\":").ok());
  JsonBounds tight;
  tight.max_depth = 2;
  CHECK_FALSE(parse_json_text("[[[1]]]", tight).ok());
}
