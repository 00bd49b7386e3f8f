// Golden vectors pin the record formats (manifests at format version 3, the others at 2) byte
// for byte. The plaintexts and tokens below were produced by an independent Python encoder
// written from docs/crypto.md sections 12.1-12.5 alone (cryptography 38's Fernet with timestamp 0x6553f100 and IV 0x42 x 16,
// HKDF from cryptography, struct.pack for the fields); that encoder is not kept in the repo,
// since these constants are what it produced. An accidental format change fails here; an
// intended one needs new vectors (docs/crypto.md 12.7).

#include <doctest/doctest.h>

#include <algorithm>

#include "record_test_support.hpp"

using namespace coffer;
using namespace coffer::crypto;
using namespace coffer::crypto::testing;

namespace {

constexpr const char* kManifestPlaintext =
    "4d0300203030313132323333343435353636373738383939616162626363646465656666000000000000000700000000002625a00010"
    "000000000003011111111111111111111111111111111111111111111111111111111111111111a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1"
    "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a100000100000133333333333333333333333333333333333333333333333333333333333333"
    "33a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a300000007000081a4000003e8000003e80000000000"
    "000000000000006553f100075bcd15000000006553f10100000005ffffffffffffffff3b9ac9ff000000020006757365722e61000000"
    "01310006757365722e620000000000000000";

constexpr const char* kManifestToken =
    "80000000006553f100424242424242424242424242424242425901403903cefc401787169d630913ddd743e495494f63041a39ebcb6e"
    "fa20e8262d4dfd097f201b8b4b0e4ca2b63f8846e8ac69449834041c09e8a41f12d9b182ccbf6da06b71e3464415d18479553468d1bd"
    "e65a2148fe26e04319414520c9b61b86a02f51dfc97f258c1fa7656377e2cb4418dbdb16c1a9749d553ec9086c579caade780fb94b21"
    "9196b807723b715ac148bf4967963420728ba128a59bad9ed4ca28938af104c47243f2e5bcccc8f653a3196482a323cf0315d9449ae1"
    "b971d3f1a57c5616b54f3dbb7434d16c880d1a16146fc88626b8615b09c00b67e818fee5cf0ee0fd16b4d451084b5cd653275582f6fe"
    "00df743a9193191e4cd892ebbc03ccdf3f7d4671b5f5ce4e6e0332fdb2bc53f9aba492c5bf2f3fed26de55f36c21d017272a579c0675"
    "794d91a8157725cf769c10668c38aef84ee96601d7d50ef17817e9e83aa4dccfe893cf8295";

constexpr const char* kAttributePlaintext =
    "41020020303031313232333334343535363637373838393961616262636364646565666600000000000000030000a1ff000000000000"
    "000000000000000000000000000000000000000000000000000000000001000000010000000000000002000000020000000000000009"
    "2e2e2f746172676574";

constexpr const char* kAttributeToken =
    "80000000006553f1004242424242424242424242424242424245d03a3db17c7e3bd8332e79b05085d9629123a7937f3ef4add172fedb"
    "d61781ece3bd414d3e42c7d8677726c43a4a02119d99a8e75775db5ec49b50f286642a4956613dfe06151d70626f1f4f401342d3a5d9"
    "ee3227fe12b53e329b9f6eba6f5dfee038e42012d5aea78e8238296d928ac8be70fd679fa4a42cc896ecd43d09a56227892bfb72d1fe"
    "979f91858c8007c519c726d386393d142faac0e0162004";

constexpr const char* kDevicePlaintext =
    "410200203030313132323333343435353636373738383939616162626363646465656666000000000000000900002190000000000000"
    "00050102030405060708000000006553f10000000001000000006553f10000000002000000006553f100000000030000000000000000";

constexpr const char* kDeviceToken =
    "80000000006553f1004242424242424242424242424242424245d03a3db17c7e3bd8332e79b05085d9629123a7937f3ef4add172fedb"
    "d6178106bd6b02ad84b462f7f9b4f3308880f5d9905809c1330f95e27fb7d020538b6ecee6b3546ee4995362906f2c0a7274b5255d19"
    "02c3d980078c78551023418b94506b5792dcaf7c84e33df94f58d4e9bb7da03c3e7e2cfd5128e4ad8d03e2828a121772ff1516aefd49"
    "972fe56d2bcebe";

constexpr const char* kEntryPlaintext =
    "450200206161626263636464656566663030313132323333343435353636373738383939002030313233343536373839616263646566"
    "303132333435363738396162636465665c1f0a1e0d1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5646566676869"
    "6a6b6c6d6e6f707172737475767778797a7b7c7d7e7f80818283";

constexpr const char* kEntryToken =
    "80000000006553f10042424242424242424242424242424242bf748ba5c197fd27ac7ebaca8ec446f48cc795d805e522696722b8d197"
    "5650e45271a0dc1516e634e452e27885667af587bd68af734a5461eb857aa55b05ba931e656bb4368d8cba4e2cfa50eb698b4c471d69"
    "e5c177dfd21efca70156f18c1c660f8855a11b1658db105175cb3e3844556be74d9818e5dea978309d7634aa15d2139a99e45291c899"
    "28513afa4f013f95fed29ff80bbca07fdca53cfda809d1e15a97da050965a15b5bb6ed3f6c3b80";

constexpr const char* kFolderPlaintext =
    "460200203030313132323333343435353636373738383939616162626363646465656666000000000000002900000000000000035a5a"
    "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";

constexpr const char* kFolderToken =
    "80000000006553f10042424242424242424242424242424242c0dfa4d9c703defc2cb2a2a4ed84e23a65b901b24405a9ae3e5c1b05f4"
    "b1e92d50061abe5f36e865ecb0c8875012344ef00a1762ecc922d208893610f2b07f2aefd98e594131481e9f6638a7470762d2cd5d25"
    "8e5517d34e9027ef756264107a2d9e629200fce48a0a9bcef30fad2becc3e281c9863a93d64b299692962b9d88";

template <class Record, class Encode, class Decode, class Open, class Seal>
void check_golden(const Record& record, const char* plaintext, const char* token, KeyPurpose purpose, Encode encode,
                  Decode decode, Open open, Seal seal) {
  CHECK(hex_encode(encode(record)) == plaintext);
  CHECK(decode(from_hex(plaintext)).value() == record);
  CHECK(open(from_hex(token)).value() == record);
  // Sealing again uses a fresh IV: the token differs, its plaintext does not.
  const FernetKey subkey = derive_subkey(record_key(), purpose);
  CHECK(hex_encode(fernet_decrypt_raw(subkey, seal(record)).value()) == plaintext);
}

}  // namespace

TEST_CASE("golden manifest (two chunks and a hole): encoding, sealing and opening") {
  check_golden(
      sample_manifest(), kManifestPlaintext, kManifestToken, KeyPurpose::manifest, encode_manifest, decode_manifest,
      [](ByteView sealed) { return open_manifest(record_key(), kNodeId, sealed); },
      [](const Manifest& m) { return seal_manifest(record_key(), m); });
}

TEST_CASE("golden attribute records (a symlink, a device node): encoding, sealing and opening") {
  auto open = [](ByteView sealed) { return open_attribute_record(record_key(), kNodeId, sealed); };
  auto seal = [](const AttributeRecord& r) { return seal_attribute_record(record_key(), r); };
  check_golden(sample_symlink_record(), kAttributePlaintext, kAttributeToken, KeyPurpose::attributes,
               encode_attribute_record, decode_attribute_record, open, seal);
  check_golden(sample_device_record(), kDevicePlaintext, kDeviceToken, KeyPurpose::attributes,
               encode_attribute_record, decode_attribute_record, open, seal);
}

TEST_CASE("golden folder record: encoding, sealing and opening") {
  check_golden(
      sample_folder_record(), kFolderPlaintext, kFolderToken, KeyPurpose::folder, encode_folder_record,
      decode_folder_record, [](ByteView sealed) { return open_folder_record(record_key(), kNodeId, sealed); },
      [](const FolderRecord& r) { return seal_folder_record(record_key(), r); });
}

TEST_CASE("golden sealed entry: encoding, sealing and opening") {
  auto same_key = [](const FernetKey& a, const FernetKey& b) {
    return std::equal(a.raw().begin(), a.raw().end(), b.raw().begin(), b.raw().end());
  };
  const SecureBytes plaintext = encode_entry_record(sample_entry_binding(), entry_node_key());
  CHECK(hex_encode(plaintext) == kEntryPlaintext);
  const auto decoded = decode_entry_record(from_hex(kEntryPlaintext)).value();
  CHECK(decoded.binding.parent_id == sample_entry_binding().parent_id);
  CHECK(decoded.binding.node_id == sample_entry_binding().node_id);
  CHECK(decoded.binding.name_tag == sample_entry_binding().name_tag);
  CHECK(same_key(decoded.node_key, entry_node_key()));
  const FernetKey opened = open_entry_key(record_key(), sample_entry_binding(), from_hex(kEntryToken)).value();
  CHECK(same_key(opened, entry_node_key()));
  const FernetKey entry_subkey = derive_subkey(record_key(), KeyPurpose::entry);
  const Bytes sealed = seal_entry_key(record_key(), sample_entry_binding(), entry_node_key());
  CHECK(hex_encode(fernet_decrypt_raw(entry_subkey, sealed).value()) == kEntryPlaintext);
}
