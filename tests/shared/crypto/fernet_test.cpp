#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "crypto/encoding.hpp"
#include "crypto/fernet.hpp"
#include "crypto/random.hpp"
#include "crypto_test_support.hpp"

using namespace coffer;
using namespace coffer::crypto;
using namespace coffer::crypto::testing;

TEST_CASE("keys round-trip through raw and base64 forms") {
  const FernetKey key = FernetKey::generate();
  const std::string text = key.to_base64();
  CHECK(text.size() == 44);
  const FernetKey again = key_from_base64(text);
  CHECK(std::equal(key.raw().begin(), key.raw().end(), again.raw().begin(), again.raw().end()));
  CHECK(key.signing_key().size() == 16);
  CHECK(key.encryption_key().size() == 16);
  CHECK(key.signing_key().data() == key.raw().data());
  CHECK(key.encryption_key().data() == key.raw().data() + 16);
}

TEST_CASE("keys of the wrong size or encoding are refused") {
  CHECK_FALSE(FernetKey::from_raw(Bytes(31)));
  CHECK_FALSE(FernetKey::from_raw(Bytes(33)));
  CHECK_FALSE(FernetKey::from_base64("c2hvcnQ="));
  CHECK_FALSE(FernetKey::from_base64("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4"));
  CHECK_FALSE(FernetKey::from_base64("cw/0x689RpI+jtRR7oE8h/eQsKImvJapLeSbXpwF4e4="));
  CHECK(FernetKey::from_base64("c2hvcnQ=").error().code == Errc::invalid_argument);
}

TEST_CASE("tokens round-trip at every size around block boundaries") {
  const FernetKey key = FernetKey::generate();
  for (std::size_t size : {0, 1, 15, 16, 17, 31, 32, 33, 255, 1000, 65536, 1 << 20}) {
    CAPTURE(size);
    const Bytes plaintext = random_bytes(size);
    const Bytes raw = fernet_encrypt_raw(key, plaintext);
    CHECK(raw.size() == fernet_raw_size(size));
    CHECK(raw[0] == kFernetVersion);
    CHECK(*fernet_decrypt_raw(key, raw) == plaintext);
    CHECK(*fernet_decrypt(key, base64url_encode(raw)) == plaintext);
    CHECK(*fernet_decrypt(key, fernet_encrypt(key, plaintext)) == plaintext);
  }
}

TEST_CASE("the timestamp comes from the clock, big-endian") {
  const Bytes raw = fernet_encrypt_raw(FernetKey::generate(), as_bytes("x"), fixed_clock(0x0102030405060708));
  CHECK(Bytes(raw.begin() + 1, raw.begin() + 9) == Bytes{1, 2, 3, 4, 5, 6, 7, 8});
}

TEST_CASE("two encryptions of one plaintext differ (fresh IVs)") {
  const FernetKey key = FernetKey::generate();
  const Bytes a = fernet_encrypt_raw(key, as_bytes("same"), fixed_clock(1));
  const Bytes b = fernet_encrypt_raw(key, as_bytes("same"), fixed_clock(1));
  CHECK(a != b);
  CHECK(Bytes(a.begin() + 9, a.begin() + 25) != Bytes(b.begin() + 9, b.begin() + 25));
}

TEST_CASE("TTL: valid up to and including timestamp + ttl, and up to 60 s ahead") {
  const FernetKey key = FernetKey::generate();
  constexpr std::uint64_t stamp = 1'000'000;
  const Bytes raw = fernet_encrypt_raw(key, as_bytes("x"), fixed_clock(stamp));
  auto at = [&](std::uint64_t now, std::uint64_t ttl) { return fernet_decrypt_raw(key, raw, {ttl, fixed_clock(now)}); };
  CHECK(at(stamp, 0));
  CHECK(at(stamp + 100, 100));
  CHECK_FALSE(at(stamp + 101, 100));
  CHECK(at(stamp - 60, 100));
  CHECK_FALSE(at(stamp - 61, 100));
  CHECK(at(stamp + 1'000'000, 1'000'000));
  auto expired = at(stamp + 2, 1);
  REQUIRE_FALSE(expired);
  CHECK(expired.error().code == Errc::invalid_token);
  CHECK(expired.error().message.find("expired") != std::string::npos);
  CHECK(at(0, 1).error().message.find("future") != std::string::npos);
}

TEST_CASE("without a TTL, old and future timestamps are accepted (stored data)") {
  const FernetKey key = FernetKey::generate();
  CHECK(fernet_decrypt_raw(key, fernet_encrypt_raw(key, as_bytes("x"), fixed_clock(0))));
  CHECK(fernet_decrypt_raw(key, fernet_encrypt_raw(key, as_bytes("x"), fixed_clock(UINT64_MAX))));
}

TEST_CASE("a TTL check cannot overflow on extreme timestamps") {
  const FernetKey key = FernetKey::generate();
  const Bytes far = fernet_encrypt_raw(key, as_bytes("x"), fixed_clock(UINT64_MAX));
  CHECK_FALSE(fernet_decrypt_raw(key, far, {UINT64_MAX, fixed_clock(0)}));
  const Bytes early = fernet_encrypt_raw(key, as_bytes("x"), fixed_clock(0));
  CHECK(fernet_decrypt_raw(key, early, {UINT64_MAX, fixed_clock(UINT64_MAX)}));
  CHECK_FALSE(fernet_decrypt_raw(key, early, {UINT64_MAX - 1, fixed_clock(UINT64_MAX)}));
}

TEST_CASE("fernet_decrypt_secret decrypts into wiped memory") {
  const FernetKey key = FernetKey::generate();
  const FernetKey secret = FernetKey::generate();
  auto plain = fernet_decrypt_secret(key, fernet_encrypt_raw(key, secret.raw()));
  REQUIRE(plain);
  CHECK(std::equal(plain->begin(), plain->end(), secret.raw().begin(), secret.raw().end()));
  CHECK_FALSE(fernet_decrypt_secret(FernetKey::generate(), fernet_encrypt_raw(key, secret.raw())));
}
