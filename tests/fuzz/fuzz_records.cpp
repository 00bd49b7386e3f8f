// libFuzzer target: opening sealed manifests and attribute records. The input is the
// plaintext inside a correctly sealed token, since only a key holder can produce one; the
// decoder must refuse or accept it without crashing, and whatever it accepts must encode back
// to exactly the input (one encoding per record).

#include <cstdlib>

#include "crypto/record_format.hpp"
#include "crypto/subkeys.hpp"

namespace {

using namespace coffer;
using namespace coffer::crypto;

const FernetKey& fuzz_key() {
  static const FernetKey key = FernetKey::from_base64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=").value();
  return key;
}

void require(bool property) {
  if (!property) std::abort();
}

Bytes seal_as(KeyPurpose purpose, ByteView plaintext) {
  return fernet_encrypt_raw(derive_subkey(fuzz_key(), purpose), plaintext);
}

void check_manifest(ByteView input) {
  auto decoded = decode_manifest(input);
  const Bytes sealed = seal_as(KeyPurpose::manifest, input);
  if (!decoded) {
    require(!open_manifest(fuzz_key(), "node", sealed).ok());
    return;
  }
  require(encode_manifest(*decoded) == Bytes(input.begin(), input.end()));
  require(open_manifest(fuzz_key(), decoded->node_id, sealed).value() == *decoded);
  require(!open_manifest(fuzz_key(), decoded->node_id + "x", sealed).ok());
}

void check_attribute_record(ByteView input) {
  auto decoded = decode_attribute_record(input);
  const Bytes sealed = seal_as(KeyPurpose::attributes, input);
  if (!decoded) {
    require(!open_attribute_record(fuzz_key(), "node", sealed).ok());
    return;
  }
  require(encode_attribute_record(*decoded) == Bytes(input.begin(), input.end()));
  require(open_attribute_record(fuzz_key(), decoded->node_id, sealed).value() == *decoded);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  check_manifest(input);
  check_attribute_record(input);
  return 0;
}
