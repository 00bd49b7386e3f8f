#include <doctest/doctest.h>

#include <string>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto_test_support.hpp"

using namespace coffer;
using namespace coffer::crypto;
using coffer::crypto::testing::from_hex;

TEST_CASE("SHA-256 matches FIPS 180-2 vectors") {
  CHECK(hex_encode(sha256(as_bytes("abc"))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_encode(sha256({})) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("HMAC-SHA256 matches RFC 4231") {
  // Test case 2.
  CHECK(hex_encode(hmac_sha256(as_bytes("Jefe"), as_bytes("what do ya want for nothing?"))) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block size.
  const Bytes long_key(131, 0xaa);
  CHECK(hex_encode(hmac_sha256(long_key, as_bytes("Test Using Larger Than Block-Size Key - Hash Key First"))) ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST_CASE("HKDF-SHA256 matches RFC 5869") {
  const Bytes ikm(22, 0x0b);
  SUBCASE("test case 1: salt and info") {
    const Bytes salt = from_hex("000102030405060708090a0b0c");
    const Bytes info = from_hex("f0f1f2f3f4f5f6f7f8f9");
    const SecureBytes okm = hkdf_sha256(ikm, to_string(info), 42, salt);
    CHECK(hex_encode(okm) ==
          "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  }
  SUBCASE("test case 3: empty salt and info") {
    const SecureBytes okm = hkdf_sha256(ikm, "", 42);
    CHECK(hex_encode(okm) ==
          "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
  }
}

TEST_CASE("constant_time_equal compares contents and sizes") {
  const Bytes a = {1, 2, 3};
  const Bytes b = {1, 2, 3};
  const Bytes c = {1, 2, 4};
  const Bytes prefix = {1, 2};
  CHECK(constant_time_equal(a, b));
  CHECK_FALSE(constant_time_equal(a, c));
  CHECK_FALSE(constant_time_equal(a, prefix));
  CHECK(constant_time_equal({}, {}));
}
