// Known-answer values come from an independent Python derivation (cryptography 38 and
// hashlib), so they pin both the formats and their interpretation in docs/crypto.md.

#include <doctest/doctest.h>

#include <string>

#include "crypto/encoding.hpp"
#include "crypto/keys.hpp"
#include "crypto/subkeys.hpp"
#include "crypto_test_support.hpp"

using namespace coffer;
using namespace coffer::crypto;
using namespace coffer::crypto::testing;

namespace {

const FernetKey& parent_key() {
  static const FernetKey key = key_from_base64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
  return key;
}
const FernetKey& child_key() {
  static const FernetKey key = key_from_base64("ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgoM=");
  return key;
}
bool same_key(const FernetKey& a, const FernetKey& b) {
  return std::equal(a.raw().begin(), a.raw().end(), b.raw().begin(), b.raw().end());
}

constexpr const char* kAlicePrivate = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
constexpr const char* kAlicePublic = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
constexpr const char* kBobPublic = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";

}  // namespace

TEST_CASE("subkeys are HKDF-SHA256 of the key with their documented info strings") {
  CHECK(hex_encode(derive_subkey(parent_key(), KeyPurpose::name_encryption).raw()) ==
        "43d6da9335275177ba4d2e4e36c17c907d200e3a8b449c5a5f9ddd5789d9cd70");
  CHECK(hex_encode(derive_subkey(parent_key(), KeyPurpose::name_tag).raw()) ==
        "793ace40b3ca57e91a1a6c378e18f7ec717aadba51793d747492caf5f70c0f0c");
  CHECK(hex_encode(derive_subkey(parent_key(), KeyPurpose::key_wrapping).raw()) ==
        "a35994e68ae3fce211f4bb8e26812f644efc037c665eb5cb7dd793e716116c12");
  CHECK(hex_encode(derive_subkey(parent_key(), KeyPurpose::manifest).raw()) ==
        "3915e59c1c19e4a73cf0b721b4b9d246c1556e592860e671daec2a008135bee7");
  CHECK(hex_encode(derive_subkey(parent_key(), KeyPurpose::attributes).raw()) ==
        "580d8fd02c02ad9ff4d5227b40a98f97eb30a309ec30891cabf9245648aa3979");
  CHECK(hex_encode(derive_subkey(parent_key(), KeyPurpose::entry).raw()) ==
        "75d3a96c3e33f5a826a216ffb971ba4033b9b75fc446263b5ce56589f343469d");
  CHECK(hex_encode(derive_subkey(parent_key(), KeyPurpose::folder).raw()) ==
        "f4399f358353082623a59a6806572f373079b94197227805be9730429b1427ff");
}

TEST_CASE("wrapped keys: round trip, golden token, and refusal under another key") {
  const Bytes wrapped = wrap_key(parent_key(), child_key());
  CHECK(wrapped.size() == fernet_raw_size(32));
  CHECK(same_key(unwrap_key(parent_key(), wrapped).value(), child_key()));
  const Bytes golden = from_hex(
      "80000000006553f1004242424242424242424242424242424266960ac2fb19abe47898f7a75557f456e9b5cd0c293a1429a2c3ba20ec"
      "0acc9c9ce1bce5c21290bfb041e1ec2a8be244ab2867f8648d761d9ee60d6ffd6029964154c3dfb873f2d7794f7e0f9f590d3c");
  CHECK(same_key(unwrap_key(parent_key(), golden).value(), child_key()));
  auto wrong = unwrap_key(child_key(), wrapped);
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().code == Errc::integrity);
}

TEST_CASE("a wrapped key is not a token under the bare parent key") {
  CHECK_FALSE(fernet_decrypt_raw(parent_key(), wrap_key(parent_key(), child_key())));
}

TEST_CASE("a name token cannot be unwrapped as a key, nor a wrapped key read as a name") {
  const std::string name(32, 'k');  // as long as a raw key
  const std::string name_token = encrypt_name(parent_key(), name);
  CHECK(unwrap_key(parent_key(), base64url_decode(name_token).value()).error().code == Errc::integrity);
  const std::string wrapped_text = base64url_encode(wrap_key(parent_key(), child_key()));
  CHECK(decrypt_name(parent_key(), wrapped_text).error().code == Errc::integrity);
}

TEST_CASE("names: round trip, golden token, and refusal of invalid names") {
  for (const char* name : {"report.txt", "Grüße.md", " leading space", "a"}) {
    CHECK(decrypt_name(parent_key(), encrypt_name(parent_key(), name)).value() == name);
  }
  CHECK(decrypt_name(parent_key(), "gAAAAABlU_EAQkJCQkJCQkJCQkJCQkJCQhGfDLppb3t6HIHg9jt8NZS2pkga8Q1KH-4RgoOguBZukjGCSGR"
                                   "v8y1TP0dsZrzROg==")
            .value() == "report.txt");
  for (const std::string& bad : {std::string(), std::string("."), std::string(".."), std::string("a/b"),
                                 std::string("a\0b", 3), std::string(256, 'x')}) {
    CAPTURE(bad);
    CHECK_FALSE(is_valid_name(bad));
    CHECK(decrypt_name(parent_key(), encrypt_name(parent_key(), bad)).error().code == Errc::integrity);
  }
  CHECK(is_valid_name(std::string(255, 'x')));
  CHECK(decrypt_name(child_key(), encrypt_name(parent_key(), "x")).error().code == Errc::integrity);
  CHECK(decrypt_name(parent_key(), "not a token").error().code == Errc::integrity);
}

TEST_CASE("name tags are deterministic, keyed and match the documented HMAC") {
  CHECK(name_tag(parent_key(), "report.txt") == "85d54423ea75719526ea0b92136b5b7118b20710b6642653c9a4a9179529c753");
  CHECK(name_tag(parent_key(), "Grüße.md") == "4897ba947a2acda6809b4253f422ac07032df62c87fb914a3ad80bbe9c394d26");
  CHECK(name_tag(parent_key(), "report.txt") == name_tag(parent_key(), "report.txt"));
  CHECK(name_tag(child_key(), "report.txt") != name_tag(parent_key(), "report.txt"));
  CHECK(name_tag(parent_key(), "Report.txt") != name_tag(parent_key(), "report.txt"));
}

TEST_CASE("X25519 key pairs match RFC 7748 and derive the public key") {
  auto alice = X25519KeyPair::from_private(from_hex(kAlicePrivate));
  REQUIRE(alice);
  CHECK(hex_encode(alice->public_key) == kAlicePublic);
  CHECK_FALSE(X25519KeyPair::from_private(Bytes(31)));
  const X25519KeyPair generated = X25519KeyPair::generate();
  CHECK(generated.private_key.size() == 32);
  CHECK(X25519KeyPair::from_private(generated.private_key)->public_key == generated.public_key);
}

TEST_CASE("key bundles: round trip, golden token, refusal under another kek") {
  const FernetKey kek = key_from_base64("yMnKy8zNzs_Q0dLT1NXW19jZ2tvc3d7f4OHi4-Tl5uc=");
  const UserKeyBundle bundle = UserKeyBundle::generate();
  const UserKeyBundle opened = open_key_bundle(kek, seal_key_bundle(kek, bundle)).value();
  CHECK(same_key(opened.master_key, bundle.master_key));
  CHECK(opened.identity.private_key == bundle.identity.private_key);
  CHECK(opened.identity.public_key == bundle.identity.public_key);

  const Bytes golden = from_hex(
      "80000000006553f10042424242424242424242424242424242d95078f72766941b19586bfbadd637f41e1a3be85fc6537f686bd768f7"
      "83468d9de043048b102571330c68fb07fa77f3ad4d92f06b45bc9cb8bb59a2d5ae7379c2498e2fa509fd9f0f34c84d58bc5efac9fd7c"
      "97e082a1abe7768ed64045cf848e41e44180ab4d857f4c87c602bc8185");
  const UserKeyBundle pinned = open_key_bundle(kek, golden).value();
  CHECK(same_key(pinned.master_key, parent_key()));
  CHECK(hex_encode(pinned.identity.public_key) == kBobPublic);

  CHECK(open_key_bundle(parent_key(), golden).error().code == Errc::integrity);
  CHECK(open_key_bundle(kek, fernet_encrypt_raw(kek, Bytes(64))).error().code == Errc::integrity);
  Bytes wrong_version(65, 0);
  wrong_version[0] = 2;
  CHECK(open_key_bundle(kek, fernet_encrypt_raw(kek, wrong_version)).error().code == Errc::integrity);
}

TEST_CASE("fingerprints are the first 16 bytes of SHA-256 in groups of four hex digits") {
  CHECK(key_fingerprint(from_hex(kBobPublic)) == "f35e 5616 160a 30bf 3c6e 79fa 73c5 76d4");
}
