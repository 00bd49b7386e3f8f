#include <doctest/doctest.h>

#include <string>

#include "crypto/encoding.hpp"
#include "crypto/kdf.hpp"
#include "crypto_test_support.hpp"

using namespace coffer;
using namespace coffer::crypto;
using namespace coffer::crypto::testing;

namespace {

KdfParams cheap_params() {
  KdfParams params;
  params.n = 1u << 14;
  params.salt = from_hex("000102030405060708090a0b0c0d0e0f");
  return params;
}

}  // namespace

TEST_CASE("login keys match an independent derivation (Python hashlib.scrypt + HKDF)") {
  auto keys = derive_login_keys("correct horse battery staple", cheap_params());
  REQUIRE(keys);
  CHECK(hex_encode(keys->auth_key) == "6ac3f35a6c253de4a4f53267b4e92f975d1bf178f6f48ff62b075428bc0b832f");
  CHECK(keys->kek.to_base64() == "kivFAfx0KlNCr1xK7crLZRYGcpBG-AsOmv9vgwRCDjU=");
}

TEST_CASE("login keys depend on the password and the salt, and auth_key differs from kek") {
  const KdfParams params = cheap_params();
  KdfParams other_salt = params;
  other_salt.salt[0] ^= 1;
  const LoginKeys a = derive_login_keys("password one", params).value();
  const LoginKeys b = derive_login_keys("password two", params).value();
  const LoginKeys c = derive_login_keys("password one", other_salt).value();
  CHECK(a.auth_key != b.auth_key);
  CHECK(a.auth_key != c.auth_key);
  CHECK_FALSE(std::equal(a.auth_key.begin(), a.auth_key.end(), a.kek.raw().begin(), a.kek.raw().end()));
  CHECK(derive_login_keys("", params));
}

TEST_CASE("fresh parameters are the documented defaults with a random 16-byte salt") {
  const KdfParams a = KdfParams::fresh();
  const KdfParams b = KdfParams::fresh();
  CHECK(a.algorithm == "scrypt");
  CHECK(a.n == 32768);
  CHECK(a.r == 8);
  CHECK(a.p == 1);
  CHECK(a.salt.size() == 16);
  CHECK(a.salt != b.salt);
  CHECK(a.validate());
}

TEST_CASE("unsafe, absurd or unknown parameters are refused before any work") {
  struct Case {
    const char* name;
    void (*spoil)(KdfParams&);
  };
  const Case cases[] = {
      {"argon2id", [](KdfParams& p) { p.algorithm = "argon2id"; }},
      {"n not a power of two", [](KdfParams& p) { p.n = 30000; }},
      {"n too small", [](KdfParams& p) { p.n = 1u << 13; }},
      {"n too large", [](KdfParams& p) { p.n = 1u << 23; }},
      {"n zero", [](KdfParams& p) { p.n = 0; }},
      {"r zero", [](KdfParams& p) { p.r = 0; }},
      {"r too large", [](KdfParams& p) { p.r = 33; }},
      {"p zero", [](KdfParams& p) { p.p = 0; }},
      {"p too large", [](KdfParams& p) { p.p = 17; }},
      {"over 1 GiB of memory", [](KdfParams& p) { p.n = 1u << 22; }},
      {"salt too short", [](KdfParams& p) { p.salt.resize(15); }},
      {"salt too long", [](KdfParams& p) { p.salt.resize(65); }},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    KdfParams params = cheap_params();
    c.spoil(params);
    CHECK(params.validate().error().code == Errc::invalid_argument);
    auto keys = derive_login_keys("pw", params);
    REQUIRE_FALSE(keys);
    CHECK(keys.error().code == Errc::invalid_argument);
  }
}
