// The golden grant comes from an independent Python derivation (cryptography 38) written from
// docs/crypto.md, "Sealed grants".

#include <doctest/doctest.h>

#include <string>

#include "crypto/encoding.hpp"
#include "crypto/grant_seal.hpp"
#include "crypto_test_support.hpp"

using namespace coffer;
using namespace coffer::crypto;
using namespace coffer::crypto::testing;

namespace {

constexpr const char* kNode = "0123456789abcdef0123456789abcdef";

const X25519KeyPair& alice() {  // RFC 7748's Alice: the granter
  static const X25519KeyPair pair =
      X25519KeyPair::from_private(from_hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")).value();
  return pair;
}
const X25519KeyPair& bob() {  // RFC 7748's Bob: the grantee
  static const X25519KeyPair pair =
      X25519KeyPair::from_private(from_hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb")).value();
  return pair;
}

GrantPayload payload() {
  return GrantPayload{kNode, "alice", "bob", "Holiday photos", true,
                      key_from_base64("ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1-f4CBgoM=")};
}

bool same_key(const FernetKey& a, const FernetKey& b) {
  return std::equal(a.raw().begin(), a.raw().end(), b.raw().begin(), b.raw().end());
}

}  // namespace

TEST_CASE("a sealed grant opens for its grantee with the granter's public key") {
  const Bytes sealed = seal_grant(alice(), bob().public_key, payload()).value();
  auto opened = open_grant(bob(), alice().public_key, sealed, kNode, "bob");
  REQUIRE(opened);
  CHECK(opened->owner == "alice");
  CHECK(opened->name == "Holiday photos");
  CHECK(opened->is_folder);
  CHECK(same_key(opened->key, payload().key));
}

TEST_CASE("a grant the server made or altered does not open") {
  const Bytes sealed = seal_grant(alice(), bob().public_key, payload()).value();
  const X25519KeyPair server = X25519KeyPair::generate();
  // The server knows both public keys but neither private key: a grant it seals as "alice"
  // with its own identity fails against alice's real key.
  const Bytes forged = seal_grant(server, bob().public_key, payload()).value();
  CHECK(open_grant(bob(), alice().public_key, forged, kNode, "bob").error().code == Errc::integrity);
  // Someone else than the grantee cannot open it.
  CHECK(open_grant(server, alice().public_key, sealed, kNode, "bob").error().code == Errc::integrity);
  // Another node or grantee than the server claims.
  CHECK(open_grant(bob(), alice().public_key, sealed, "fedcba9876543210fedcba9876543210", "bob").error().code ==
        Errc::integrity);
  CHECK(open_grant(bob(), alice().public_key, sealed, kNode, "carol").error().code == Errc::integrity);
  for (std::size_t at : {std::size_t{3}, std::size_t{40}, sealed.size() - 1}) {
    Bytes tampered = sealed;
    tampered[at] ^= 1;
    CHECK(open_grant(bob(), alice().public_key, tampered, kNode, "bob").error().code == Errc::integrity);
  }
  CHECK(open_grant(bob(), alice().public_key, ByteView(sealed).first(80), kNode, "bob").error().code ==
        Errc::integrity);
}

TEST_CASE("malformed grantee public keys are refused before sealing") {
  CHECK(seal_grant(alice(), Bytes(31, 9), payload()).error().code == Errc::invalid_argument);
  // u = 0 is a low-order point: the shared secret would be all zeros.
  CHECK(seal_grant(alice(), Bytes(32, 0), payload()).error().code == Errc::invalid_argument);
}

TEST_CASE("the sealed grant matches an independent derivation (Python)") {
  const Bytes golden = from_hex(
      "7b4e909bbe7ffe44c465a220037d608ee35897d31ef972f07f74892cb0f73f1380000000006553f1004242424242424242424242424242"
      "42421d62140fd183613b9f9b33a9b042310406fff3352e314696b0156f8a26aa41e2187a52f754b7d7c7d62b276e5cafaf060bc8b8586"
      "2058e2146abefa8aa3cdf4ad3b500e9a1fd402ed0b785a14024e22f5ce39cbf750d331ad4b72cae75b1c3c7be605193e94866bbc8a78a"
      "365c28098700b50155e5b91cf21f3818971a49557ad3e7d4018184339fb9e28cbffbc3cc9d");
  auto opened = open_grant(bob(), alice().public_key, golden, kNode, "bob");
  REQUIRE(opened);
  CHECK(opened->owner == "alice");
  CHECK(opened->name == "Holiday photos");
  CHECK(opened->is_folder);
  CHECK(same_key(opened->key, payload().key));
}
