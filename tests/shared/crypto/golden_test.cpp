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
    "4d0200203030313132323333343435353636373738383939616162626363646465656666000000000000000700000000002625a00010"
    "000000000003111111111111111111111111111111111111111111111111111111111111111122222222222222222222222222222222"
    "222222222222222222222222222222223333333333333333333333333333333333333333333333333333333333333333000081a40000"
    "03e8000003e8000000006553f100075bcd15000000006553f10100000005ffffffffffffffff3b9ac9ff000000020006757365722e61"
    "00000001310006757365722e620000000000000000";

constexpr const char* kManifestToken =
    "80000000006553f100424242424242424242424242424242424f74e11d118ce45609669f18b612d9646eed26b59ed8967f41792564c8"
    "0ddc896f7cc45c5cb5bb66ea531892b52117a0ca4fc03c71bbe8a7664e3cc3af1807b83170092cba085a9abe96fdb99f50c52d30c73f"
    "e5510e93703fcfbd6a160230d0ad5917c7885dec6c817b76efb3c2a6394e754efc3a04701d6cb7d0583065167e63b8671b76e956b624"
    "e2f97390bc398bc2dde3ec4311c525c30373e83edcd63c591d1524c42a749b15565e603bbbb16104c066f5d41e1cf2706a7b809da50d"
    "abd58dcc135a043f154493c615215e877057370ca8609bd4676f3088e908908ccda30742c657e8a89d091c9576841f053becbf7006e6"
    "813c377ec66e8c6b5dddaa72328f777b610725bb874a271eaa0b55";

constexpr const char* kAttributePlaintext =
    "41020020303031313232333334343535363637373838393961616262636364646565666600000000000000030000a1ff000000000000"
    "000000000000000000000000000000000000000000010000000100000000000000020000000200000000000000092e2e2f7461726765"
    "74";

constexpr const char* kAttributeToken =
    "80000000006553f1004242424242424242424242424242424245d03a3db17c7e3bd8332e79b05085d9629123a7937f3ef4add172fedb"
    "d61781ece3bd414d3e42c7d8677726c43a4a02119d99a8e75775db5ec49b50f286642ae50aabcc8920fd21ce39c52bcbb48005ac8fbb"
    "fa2c59533cdc1f880bd9d95e22805682237b00f7944910484a7e52bbe07c672c512426c8a15102247bfe3b8d60f5c7959f03756e6955"
    "e3504198ab4cb2";

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
