// Table-driven malformed tokens: each row builds a token with exactly one defect and names the
// defect the error message must report.

#include <doctest/doctest.h>

#include <functional>
#include <string>
#include <vector>

#include "crypto/encoding.hpp"
#include "crypto/fernet.hpp"
#include "crypto/hash.hpp"
#include "crypto_test_support.hpp"

using namespace coffer;
using namespace coffer::crypto;
using namespace coffer::crypto::testing;

namespace {

constexpr std::uint64_t kStamp = 1'700'000'000;

FernetKey test_key() { return key_from_base64("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="); }

Bytes token_for(ByteView plaintext) {
  FernetIv iv{};
  iv.fill(0x42);
  return fernet_encrypt_raw_with_iv(test_key(), plaintext, kStamp, iv);
}

// Replaces the MAC with a correct one, so the row tests a defect the MAC does not catch.
Bytes resigned(Bytes token) {
  const Sha256Digest mac = hmac_sha256(test_key().signing_key(), ByteView(token).first(token.size() - 32));
  std::copy(mac.begin(), mac.end(), token.end() - 32);
  return token;
}

// A token whose only ciphertext block decrypts to `block`, correctly signed: the way to reach
// the padding check with a valid MAC.
Bytes signed_single_block(const std::string& block) {
  Bytes token = token_for(as_bytes(block));  // two blocks: `block` and a full padding block
  token.erase(token.end() - 32 - 16, token.end() - 32);
  return resigned(token);
}

struct MalformedCase {
  const char* name;
  std::function<Bytes()> make;
  const char* defect;  // a phrase the error message must contain
};

const std::vector<MalformedCase> kCases = {
    {"empty", [] { return Bytes{}; }, "too short"},
    {"one byte short of the minimum", [] { Bytes t = token_for({}); t.pop_back(); return t; }, "too short"},
    {"wrong version byte, correctly signed",
     [] { Bytes t = token_for(as_bytes("x")); t[0] = 0x81; return resigned(t); }, "version"},
    {"version byte zero", [] { Bytes t = token_for(as_bytes("x")); t[0] = 0x00; return resigned(t); }, "version"},
    {"ciphertext one byte short of a block, correctly signed",
     [] { Bytes t = token_for(as_bytes("0123456789abcdef")); t.erase(t.end() - 33); return resigned(t); }, "block"},
    {"ciphertext one byte over a block, correctly signed",
     [] { Bytes t = token_for(as_bytes("0123456789abcdef")); t.insert(t.end() - 32, 0x00); return resigned(t); },
     "block"},
    {"MAC altered", [] { Bytes t = token_for(as_bytes("x")); t.back() ^= 0x01; return t; }, "MAC"},
    {"timestamp altered", [] { Bytes t = token_for(as_bytes("x")); t[8] ^= 0x01; return t; }, "MAC"},
    {"IV altered", [] { Bytes t = token_for(as_bytes("x")); t[9] ^= 0x80; return t; }, "MAC"},
    {"ciphertext altered", [] { Bytes t = token_for(as_bytes("x")); t[30] ^= 0x04; return t; }, "MAC"},
    {"MAC truncated", [] { Bytes t = token_for(as_bytes("0123456789abcdef")); t.resize(t.size() - 16); return t; },
     "MAC"},
    {"padding byte zero, correctly signed", [] { return signed_single_block(std::string(16, '\0')); }, "padding"},
    {"padding byte 17, correctly signed", [] { return signed_single_block(std::string(15, 'a') + '\x11'); },
     "padding"},
    {"padding bytes inconsistent, correctly signed",
     [] { return signed_single_block(std::string(13, 'a') + "\x03\x01\x03"); }, "padding"},
};

}  // namespace

TEST_CASE("every malformed raw token is refused, naming its defect") {
  const FernetKey key = test_key();
  for (const MalformedCase& row : kCases) {
    CAPTURE(row.name);
    auto plaintext = fernet_decrypt_raw(key, row.make());
    REQUIRE_FALSE(plaintext);
    CHECK(plaintext.error().code == Errc::invalid_token);
    CHECK(plaintext.error().message.find(row.defect) != std::string::npos);
  }
}

TEST_CASE("the MAC is checked before the padding") {
  Bytes token = signed_single_block(std::string(16, '\0'));
  token.back() ^= 0x01;
  auto plaintext = fernet_decrypt_raw(test_key(), token);
  REQUIRE_FALSE(plaintext);
  CHECK(plaintext.error().message.find("MAC") != std::string::npos);
}

TEST_CASE("flipping any single bit of a token makes it invalid") {
  const FernetKey key = test_key();
  const Bytes token = token_for(as_bytes("a short plaintext"));
  for (std::size_t bit = 0; bit < token.size() * 8; ++bit) {
    Bytes flipped = token;
    flipped[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    CAPTURE(bit);
    CHECK_FALSE(fernet_decrypt_raw(key, flipped));
  }
}

TEST_CASE("a token under another key is refused") {
  auto plaintext = fernet_decrypt_raw(FernetKey::generate(), token_for(as_bytes("x")));
  REQUIRE_FALSE(plaintext);
  CHECK(plaintext.error().message.find("MAC") != std::string::npos);
}

TEST_CASE("malformed base64 in the standard form is refused") {
  const std::string good = base64url_encode(token_for(as_bytes("x")));
  const std::vector<std::string> bad = {
      "",
      good.substr(0, good.size() - 1),
      good + "\n",
      " " + good,
      good.substr(0, 10) + "+" + good.substr(11),
      good.substr(0, 10) + "=" + good.substr(11),
  };
  for (const std::string& text : bad) {
    CAPTURE(text);
    auto plaintext = fernet_decrypt(test_key(), text);
    REQUIRE_FALSE(plaintext);
    CHECK(plaintext.error().code == Errc::invalid_token);
  }
}

TEST_CASE("error messages never contain key material") {
  const FernetKey key = test_key();
  for (const MalformedCase& row : kCases) {
    const std::string message = fernet_decrypt_raw(key, row.make()).error().message;
    CHECK(message.find(key.to_base64()) == std::string::npos);
    CHECK(message.find(hex_encode(key.signing_key())) == std::string::npos);
    CHECK(message.find(hex_encode(key.encryption_key())) == std::string::npos);
  }
}
