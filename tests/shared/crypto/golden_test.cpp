// Golden vectors pin the record formats byte for byte: the plaintexts and tokens below were
// produced by an independent Python encoder written from docs/crypto.md (cryptography 38
// Fernet with a fixed timestamp and IV). An accidental format change fails here; an
// intended one needs a new format version and new vectors.

#include <doctest/doctest.h>

#include "record_test_support.hpp"

using namespace coffer;
using namespace coffer::crypto;
using namespace coffer::crypto::testing;

namespace {

constexpr const char* kManifestPlaintext =
    "4d0100203030313132323333343435353636373738383939616162626363646465656666000000000000000700000000002625a00010"
    "000000000003111111111111111111111111111111111111111111111111111111111111111122222222222222222222222222222222"
    "222222222222222222222222222222223333333333333333333333333333333333333333333333333333333333333333000081a40000"
    "03e8000003e8000000006553f100075bcd15000000006553f10100000005ffffffffffffffff3b9ac9ff000000020006757365722e61"
    "00000001310006757365722e620000000000000000";

constexpr const char* kManifestToken =
    "80000000006553f1004242424242424242424242424242424252167f415f71b2d68fa92d7bfcdc0f665bdcce51840364a3fcb8fae42c"
    "d6ebae484ea843b5dd7e431f6f26d2f360c1096fd6ca51e7b559a1790aff76d0ae8a3b284b8f467a324ffa5647ca11920d1df8fc9df1"
    "f58416b9daca7a8a95966c64ccb6546a9c155a4df09762048db053c2db2531e7f3153630c11983263e9561063667c5e22491436753b1"
    "72a2125ad8220e4565556dd7446b52637272f05343ecbfb5ecff94e990d24af90a077ef8708bf849bf5ec505a3b76cdea06ac38aafa3"
    "2f6931a4937e43d3b8e87b03d5b8779bd5e63867004aabe548ae5d9fdb007869dfd02d5bf7caa5e4283193e0d28492c8110ca2b99993"
    "c94dd7a66d0df92b8f29bee1829fe1300929ca5d22a6ae49987be3";

constexpr const char* kAttributePlaintext =
    "41010020303031313232333334343535363637373838393961616262636364646565666600000000000000030000a1ff000000000000"
    "000000000000000000000000000000000000000000010000000100000000000000020000000200000000000000092e2e2f7461726765"
    "74";

constexpr const char* kAttributeToken =
    "80000000006553f100424242424242424242424242424242426f4b39aa94fa216c931adddc54d8c2a4544e4c1a1387c1e5c2334f0d77"
    "a503c950c6cac32d5068f41fe5165c859219482046d4f7af693850fa620cceb08cd5103665285dc56b1448f979588b3dc6529b7c48a5"
    "0c45ee032ec54198d1c6a12a5d26f460b4736be2ccfe473ee574a41dfb3a672b1aa73e91f541501f42c5b58c48af942060b161fc426b"
    "94369f4c637b2d";

}  // namespace

TEST_CASE("golden manifest: encoding, sealing and opening") {
  CHECK(hex_encode(encode_manifest(sample_manifest())) == kManifestPlaintext);
  CHECK(decode_manifest(from_hex(kManifestPlaintext)).value() == sample_manifest());
  CHECK(open_manifest(record_key(), kNodeId, from_hex(kManifestToken)).value() == sample_manifest());
  const Bytes sealed = seal_manifest(record_key(), sample_manifest());
  const FernetKey manifest_key = derive_subkey(record_key(), KeyPurpose::manifest);
  CHECK(hex_encode(fernet_decrypt_raw(manifest_key, sealed).value()) == kManifestPlaintext);
}

TEST_CASE("golden attribute record: encoding, sealing and opening") {
  CHECK(hex_encode(encode_attribute_record(sample_symlink_record())) == kAttributePlaintext);
  CHECK(decode_attribute_record(from_hex(kAttributePlaintext)).value() == sample_symlink_record());
  CHECK(open_attribute_record(record_key(), kNodeId, from_hex(kAttributeToken)).value() == sample_symlink_record());
  const Bytes sealed = seal_attribute_record(record_key(), sample_symlink_record());
  const FernetKey attributes_key = derive_subkey(record_key(), KeyPurpose::attributes);
  CHECK(hex_encode(fernet_decrypt_raw(attributes_key, sealed).value()) == kAttributePlaintext);
}
