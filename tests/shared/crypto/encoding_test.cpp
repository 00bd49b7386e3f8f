#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "crypto/encoding.hpp"

using namespace coffer;
using namespace coffer::crypto;

TEST_CASE("base64url encodes the RFC 4648 vectors with padding") {
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
  };
  // Named copies, not a structured binding: clang 14 cannot capture one in CAPTURE's lambda.
  for (const auto& vector : vectors) {
    const std::string& plain = vector.first;
    const std::string& encoded = vector.second;
    CAPTURE(plain);
    CHECK(base64url_encode(as_bytes(plain)) == encoded);
    auto decoded = base64url_decode(encoded);
    REQUIRE(decoded);
    CHECK(to_string(*decoded) == plain);
  }
}

TEST_CASE("base64url uses '-' and '_' instead of '+' and '/'") {
  const Bytes bytes = {0xfb, 0xff, 0xbf};
  CHECK(base64url_encode(bytes) == "-_-_");
  CHECK(*base64url_decode("-_-_") == bytes);
}

TEST_CASE("base64url decoding is strict") {
  const std::vector<std::string> invalid = {
      "Zg",        // no padding
      "Zg=",       // length not a multiple of 4
      "Z===",      // too much padding
      "Zh==",      // non-zero bits after the last byte
      "Zm9=",      // non-zero bits after the last byte
      "Zg==Zg==",  // padding in the middle
      "=Zg=",      // padding first
      "Zm9v+g==",  // standard alphabet
      "Zm9v/g==",  // standard alphabet
      "Zm 9v",     // whitespace
      "Zm9v\n",    // trailing newline
      std::string("Zm\0v", 4),
  };
  for (const std::string& text : invalid) {
    CAPTURE(text);
    auto decoded = base64url_decode(text);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == Errc::invalid_token);
  }
}

TEST_CASE("base64url_decode_secret decodes like base64url_decode") {
  auto secret = base64url_decode_secret("Zm9vYmE=");
  REQUIRE(secret);
  CHECK(std::string(secret->begin(), secret->end()) == "fooba");
  CHECK_FALSE(base64url_decode_secret("Zm9vYmE"));
}

TEST_CASE("hex is lowercase and strict") {
  const Bytes bytes = {0x00, 0x01, 0xab, 0xff};
  CHECK(hex_encode(bytes) == "0001abff");
  CHECK(*hex_decode("0001abff") == bytes);
  CHECK(hex_decode("")->empty());
  for (const char* text : {"0", "0001ABFF", "0g", "00 1", "zz"}) {
    CAPTURE(text);
    auto decoded = hex_decode(text);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == Errc::invalid_argument);
  }
}
