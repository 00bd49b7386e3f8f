#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>

#include "crypto/entry_seal.hpp"
#include "crypto/keys.hpp"
#include "record_test_support.hpp"

using namespace coffer;
using namespace coffer::crypto;
using namespace coffer::crypto::testing;

namespace {

bool same_key(const FernetKey& a, const FernetKey& b) {
  return std::equal(a.raw().begin(), a.raw().end(), b.raw().begin(), b.raw().end());
}

Error open_failure(const EntryBinding& expected, ByteView sealed, const FernetKey& parent = record_key()) {
  auto opened = open_entry_key(parent, expected, sealed);
  REQUIRE_FALSE(opened);
  return opened.error();
}

// An entry plaintext with one edit, sealed as a key holder could, to reach the decoder's
// checks behind a valid MAC.
Bytes sealed_edited(void (*edit)(SecureBytes&)) {
  SecureBytes plaintext = encode_entry_record(sample_entry_binding(), entry_node_key());
  edit(plaintext);
  return seal_plaintext(KeyPurpose::entry, plaintext);
}

}  // namespace

TEST_CASE("a sealed entry opens to its node key under the same binding") {
  const Bytes sealed = seal_entry_key(record_key(), sample_entry_binding(), entry_node_key());
  CHECK(sealed.size() == fernet_raw_size(2 + 2 * (2 + 32) + 32 + 32));
  CHECK(same_key(open_entry_key(record_key(), sample_entry_binding(), sealed).value(), entry_node_key()));
}

TEST_CASE("a sealed entry moved to another parent, node or name is refused") {
  const Bytes sealed = seal_entry_key(record_key(), sample_entry_binding(), entry_node_key());
  EntryBinding other_parent = sample_entry_binding();
  other_parent.parent_id = "ffeeddccbbaa99887766554433221100";
  CHECK(open_failure(other_parent, sealed).code == Errc::integrity);
  EntryBinding other_node = sample_entry_binding();
  other_node.node_id = kNodeId;
  CHECK(open_failure(other_node, sealed).code == Errc::integrity);
  EntryBinding other_tag = sample_entry_binding();
  other_tag.name_tag[63] = other_tag.name_tag[63] == '0' ? '1' : '0';
  CHECK(open_failure(other_tag, sealed).code == Errc::integrity);
  CHECK(open_failure(sample_entry_binding(), sealed, entry_node_key()).code == Errc::integrity);
}

TEST_CASE("every flipped bit of a sealed entry is an integrity failure") {
  const Bytes sealed = seal_entry_key(record_key(), sample_entry_binding(), entry_node_key());
  for (std::size_t bit = 0; bit < sealed.size() * 8; bit += 5) {
    Bytes flipped = sealed;
    flipped[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    CAPTURE(bit);
    CHECK(open_failure(sample_entry_binding(), flipped).code == Errc::integrity);
  }
}

TEST_CASE("tokens of other kinds do not open as sealed entries") {
  // A bare wrapped key, a record of another kind under the entry subkey, and an entry plaintext
  // under the parent's bare key or its key-wrapping subkey.
  CHECK(open_failure(sample_entry_binding(), wrap_key(record_key(), entry_node_key())).code == Errc::integrity);
  CHECK(open_failure(sample_entry_binding(), sealed_edited([](SecureBytes& p) { p[0] = 'F'; })).code ==
        Errc::integrity);
  const SecureBytes plaintext = encode_entry_record(sample_entry_binding(), entry_node_key());
  CHECK(open_failure(sample_entry_binding(), fernet_encrypt_raw(record_key(), plaintext)).code == Errc::integrity);
  CHECK(open_failure(sample_entry_binding(), seal_plaintext(KeyPurpose::key_wrapping, plaintext)).code ==
        Errc::integrity);
}

TEST_CASE("malformed sealed entries behind a valid MAC are refused") {
  const Error version_1 = open_failure(sample_entry_binding(), sealed_edited([](SecureBytes& p) { p[1] = 1; }));
  CHECK(version_1.code == Errc::integrity);
  CHECK(version_1.message.find("format version 1 is no longer read") != std::string::npos);
  CHECK(open_failure(sample_entry_binding(), sealed_edited([](SecureBytes& p) { p[1] = 3; })).code ==
        Errc::integrity);
  CHECK(open_failure(sample_entry_binding(), sealed_edited([](SecureBytes& p) { p.push_back(0); })).code ==
        Errc::integrity);
  CHECK(open_failure(sample_entry_binding(), sealed_edited([](SecureBytes& p) { p.pop_back(); })).code ==
        Errc::integrity);
  CHECK(open_failure(sample_entry_binding(), sealed_edited([](SecureBytes& p) { p.resize(1); })).code ==
        Errc::integrity);
  CHECK(open_failure(sample_entry_binding(), sealed_edited([](SecureBytes& p) { p.clear(); })).code ==
        Errc::integrity);
  CHECK(open_failure(sample_entry_binding(), sealed_edited([](SecureBytes& p) { p[3] = 0; })).code ==
        Errc::integrity);  // parent id length 0
}

TEST_CASE("sealing refuses ids or a tag that could never be opened") {
  EntryBinding binding = sample_entry_binding();
  binding.parent_id.clear();
  CHECK_THROWS_AS(seal_entry_key(record_key(), binding, entry_node_key()), std::invalid_argument);
  binding = sample_entry_binding();
  binding.node_id.assign(256, 'n');
  CHECK_THROWS_AS(seal_entry_key(record_key(), binding, entry_node_key()), std::invalid_argument);
  binding = sample_entry_binding();
  binding.name_tag.pop_back();
  CHECK_THROWS_AS(seal_entry_key(record_key(), binding, entry_node_key()), std::invalid_argument);
  binding = sample_entry_binding();
  binding.name_tag[0] = 'A';  // hex is lowercase only
  CHECK_THROWS_AS(seal_entry_key(record_key(), binding, entry_node_key()), std::invalid_argument);
}

TEST_CASE("token_mac is the raw token's last 32 bytes and refuses a token too short") {
  const Bytes sealed = seal_entry_key(record_key(), sample_entry_binding(), entry_node_key());
  const Sha256Digest mac = token_mac(sealed).value();
  CHECK(std::equal(mac.begin(), mac.end(), sealed.end() - 32));
  CHECK(token_mac(ByteView(sealed).first(kFernetMinRawSize)).ok());
  CHECK(token_mac(ByteView(sealed).first(kFernetMinRawSize - 1)).error().code == Errc::integrity);
}
