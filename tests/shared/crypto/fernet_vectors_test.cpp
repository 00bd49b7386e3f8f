// Known-answer tests from the Fernet specification (github.com/fernet/spec: generate.json,
// verify.json, invalid.json). The spec's times are ISO 8601; the Unix seconds are noted.

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "crypto/encoding.hpp"
#include "crypto/fernet.hpp"
#include "crypto_test_support.hpp"

using namespace coffer;
using namespace coffer::crypto;
using namespace coffer::crypto::testing;

namespace {

constexpr const char* kSecret = "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=";
constexpr const char* kHelloToken =
    "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==";
constexpr std::uint64_t k1985_01_20_00 = 499162800;  // 1985-10-26T01:20:00-07:00
constexpr std::uint64_t k1985_01_20_01 = 499162801;  // 1985-10-26T01:20:01-07:00
constexpr std::uint64_t k1985_01_21_31 = 499162891;  // 1985-10-26T01:21:31-07:00

struct InvalidVector {
  const char* desc;
  const char* token;
  std::uint64_t now;
};

const std::vector<InvalidVector> kInvalid = {
    {"incorrect mac",
     "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykQUFBQUFBQUFBQQ==",
     k1985_01_20_01},
    {"too short", "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPA==", k1985_01_20_01},
    {"invalid base64",
     "%%%%%%%%%%%%%AECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==",
     k1985_01_20_01},
    {"payload size not multiple of block size",
     "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPOm73QeoCk9uGib28Xe5vz6oxq5nmxbx_v7mrfyudzUm",
     k1985_01_20_01},
    {"payload padding error",
     "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0ODz4LEpdELGQAad7aNEHbf-JkLPIpuiYRLQ3RtXatOYREu2FWke6CnJNYIbkuKNqOhw==",
     k1985_01_20_01},
    {"far-future TS (unacceptable clock skew)",
     "gAAAAAAdwStRAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAnja1xKYyhd-Y6mSkTOyTGJmw2Xc2a6kBd-iX9b_qXQcw==",
     k1985_01_20_01},
    {"expired TTL",
     "gAAAAAAdwJ6xAAECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAl1-szkFVzXTuGb4hR8AKtwcaX1YdykRtfsH-p1YsUD2Q==",
     k1985_01_21_31},
    {"incorrect IV (causes padding error)",
     "gAAAAAAdwJ6xBQECAwQFBgcICQoLDA0OD3HkMATM5lFqGaerZ-fWPAkLhFLHpGtDBRLRTZeUfWgHSv49TF2AUEZ1TIvcZjK1zQ==",
     k1985_01_20_01},
    {"trailing characters after b64 padding",
     "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==trailingdata",
     k1985_01_20_01},
    {"invalid characters in b64",
     "*gAAAAAAdwJ6wAAECAwQFBgcI!CQoLDA0ODy021?cpGVWKZ_eEwC@GM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==",
     k1985_01_20_01},
    {"invalid non-urlsafe characters in b64",
     "gAAAAAAdwJ6wAAEC/AwQFBgcICQoLDA0ODy+021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==",
     k1985_01_20_01},
};

}  // namespace

TEST_CASE("generate.json: a fixed timestamp and IV give the spec's token") {
  const FernetKey key = key_from_base64(kSecret);
  FernetIv iv;
  for (std::uint8_t i = 0; i < 16; ++i) iv[i] = i;
  const Bytes raw = fernet_encrypt_raw_with_iv(key, as_bytes("hello"), k1985_01_20_00, iv);
  CHECK(base64url_encode(raw) == kHelloToken);
}

TEST_CASE("verify.json: the spec's token decrypts within its TTL") {
  const FernetKey key = key_from_base64(kSecret);
  auto plaintext = fernet_decrypt(key, kHelloToken, {60, fixed_clock(k1985_01_20_01)});
  REQUIRE(plaintext);
  CHECK(to_string(*plaintext) == "hello");
}

TEST_CASE("invalid.json: every invalid token is refused") {
  const FernetKey key = key_from_base64(kSecret);
  for (const InvalidVector& vector : kInvalid) {
    CAPTURE(vector.desc);
    auto plaintext = fernet_decrypt(key, vector.token, {60, fixed_clock(vector.now)});
    REQUIRE_FALSE(plaintext);
    CHECK(plaintext.error().code == Errc::invalid_token);
  }
}
