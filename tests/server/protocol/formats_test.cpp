#include <doctest/doctest.h>

#include <string>

#include "protocol/formats.hpp"

using namespace coffer::protocol;

TEST_CASE("hex ids are exactly lowercase hex of the right length") {
  CHECK(is_hex("0123456789abcdef0123456789abcdef", 32));
  CHECK_FALSE(is_hex("0123456789ABCDEF0123456789abcdef", 32));
  CHECK_FALSE(is_hex("0123456789abcdef0123456789abcde", 32));
  CHECK_FALSE(is_hex("../3456789abcdef0123456789abcdef", 32));
  CHECK_FALSE(is_hex(std::string("0123456789abcdef0123456789abcde\0", 32), 32));
  CHECK_FALSE(is_hex("0123456789abcdef0123456789abcdeg", 32));
}

TEST_CASE("base64url must be canonical with padding") {
  CHECK(base64url_decoded_size("AAAA") == 3u);
  CHECK(base64url_decoded_size("AAA=") == 2u);
  CHECK(base64url_decoded_size("AA==") == 1u);
  CHECK(base64url_decoded_size("-_-_") == 3u);
  CHECK_FALSE(base64url_decoded_size(""));
  CHECK_FALSE(base64url_decoded_size("AAA"));       // missing padding
  CHECK_FALSE(base64url_decoded_size("AB=="));      // non-zero unused bits
  CHECK_FALSE(base64url_decoded_size("AAB="));      // non-zero unused bits
  CHECK_FALSE(base64url_decoded_size("A==="));      // too much padding
  CHECK_FALSE(base64url_decoded_size("AA+/"));      // standard alphabet
  CHECK_FALSE(base64url_decoded_size("A=AA"));      // padding inside
  CHECK_FALSE(base64url_decoded_size("AA\nA"));
}

TEST_CASE("user names and labels") {
  CHECK(is_user_name("alice"));
  CHECK(is_user_name("bob.smith-2_x"));
  CHECK_FALSE(is_user_name("Alice"));
  CHECK_FALSE(is_user_name(".hidden"));
  CHECK_FALSE(is_user_name(""));
  CHECK_FALSE(is_user_name(std::string(65, 'a')));
  CHECK_FALSE(is_user_name("a/b"));
  CHECK(is_label("laptop (home) — ü", 128));
  CHECK_FALSE(is_label("", 128));
  CHECK_FALSE(is_label("tab\there", 128));
  CHECK_FALSE(is_label(std::string("nul\0x", 5), 128));
  CHECK_FALSE(is_label("\xC3", 128));        // truncated UTF-8
  CHECK_FALSE(is_label("\xFF\xFE", 128));    // not UTF-8
  CHECK_FALSE(is_label(std::string(129, 'a'), 128));
}
