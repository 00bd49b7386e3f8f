// libFuzzer target: opening sealed manifests, attribute records, sealed entries and folder
// records. The input is the
// plaintext inside a correctly sealed token, since only a key holder can produce one; the
// decoder must refuse or accept it without crashing, and whatever it accepts must encode back
// to exactly the input (one encoding per record).

#include <algorithm>
#include <cstdlib>
#include <string>

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

void check_entry_record(ByteView input) {
  auto decoded = decode_entry_record(input);
  const Bytes sealed = seal_as(KeyPurpose::entry, input);
  if (!decoded) {
    require(!open_entry_key(fuzz_key(), {"parent", "node", std::string(64, '0')}, sealed).ok());
    return;
  }
  const SecureBytes encoded = encode_entry_record(decoded->binding, decoded->node_key);
  require(std::equal(encoded.begin(), encoded.end(), input.begin(), input.end()));
  auto opened = open_entry_key(fuzz_key(), decoded->binding, sealed);
  require(opened.ok() && std::equal(opened->raw().begin(), opened->raw().end(), decoded->node_key.raw().begin(),
                                    decoded->node_key.raw().end()));
  EntryBinding moved = decoded->binding;
  moved.parent_id += "x";
  require(!open_entry_key(fuzz_key(), moved, sealed).ok());
}

void check_folder_record(ByteView input) {
  auto decoded = decode_folder_record(input);
  const Bytes sealed = seal_as(KeyPurpose::folder, input);
  if (!decoded) {
    require(!open_folder_record(fuzz_key(), "node", sealed).ok());
    return;
  }
  require(encode_folder_record(*decoded) == Bytes(input.begin(), input.end()));
  require(open_folder_record(fuzz_key(), decoded->node_id, sealed).value() == *decoded);
  require(!open_folder_record(fuzz_key(), decoded->node_id + "x", sealed).ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  check_manifest(input);
  check_attribute_record(input);
  check_entry_record(input);
  check_folder_record(input);
  return 0;
}
