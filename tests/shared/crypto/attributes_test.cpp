#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "crypto/attributes.hpp"
#include "record_test_support.hpp"

using namespace coffer;
using namespace coffer::crypto;
using namespace coffer::crypto::testing;

namespace {

Errc open_error(ByteView sealed, std::string_view node_id = kNodeId) {
  auto opened = open_attribute_record(record_key(), node_id, sealed);
  REQUIRE_FALSE(opened);
  return opened.error().code;
}

AttributeRecord record_with_xattrs() {
  AttributeRecord record = sample_symlink_record();
  record.attributes.mode = 0100600;
  record.attributes.symlink_target.clear();
  record.attributes.xattrs = {{"security.selinux", as_bytes_vector("label")},
                              {"user.big", Bytes(kMaxXattrValueSize, 0xee)},
                              {std::string(kMaxXattrNameSize, 'n'), {}}};
  return record;
}

}  // namespace

TEST_CASE("attribute records round-trip, limits included") {
  for (const AttributeRecord& record : {sample_symlink_record(), record_with_xattrs()}) {
    CHECK(open_attribute_record(record_key(), kNodeId, seal_attribute_record(record_key(), record)).value() == record);
  }
  AttributeRecord longest = sample_symlink_record();
  longest.attributes.symlink_target.assign(kMaxSymlinkTargetSize, 't');
  CHECK(open_attribute_record(record_key(), kNodeId, seal_attribute_record(record_key(), longest)).value() == longest);
}

TEST_CASE("tampered, foreign or misplaced attribute records are refused") {
  const Bytes sealed = seal_attribute_record(record_key(), record_with_xattrs());
  Bytes flipped = sealed;
  flipped[sealed.size() / 2] ^= 0x01;
  CHECK(open_error(flipped) == Errc::integrity);
  CHECK(open_error(sealed, "another-node") == Errc::integrity);
  CHECK(open_attribute_record(FernetKey::generate(), kNodeId, sealed).error().code == Errc::integrity);
  CHECK(open_error(seal_manifest(record_key(), sample_manifest())) == Errc::integrity);
}

TEST_CASE("check_attributes names values outside the format's limits") {
  Attributes attributes;
  CHECK(check_attributes(attributes));
  attributes.xattrs[""] = {};
  CHECK(check_attributes(attributes).error().code == Errc::invalid_argument);
  attributes.xattrs.clear();
  attributes.xattrs[std::string(kMaxXattrNameSize + 1, 'n')] = {};
  CHECK_FALSE(check_attributes(attributes));
  attributes.xattrs.clear();
  attributes.xattrs["user.x"] = Bytes(kMaxXattrValueSize + 1);
  CHECK_FALSE(check_attributes(attributes));
  attributes.xattrs.clear();
  attributes.symlink_target.assign(kMaxSymlinkTargetSize + 1, 't');
  CHECK_FALSE(check_attributes(attributes));
  attributes.symlink_target.clear();
  attributes.ctime.nsec = 1'000'000'000;
  CHECK_FALSE(check_attributes(attributes));
  AttributeRecord record = sample_symlink_record();
  record.attributes = attributes;
  CHECK_THROWS_AS(seal_attribute_record(record_key(), record), std::invalid_argument);
}

TEST_CASE("non-canonical or out-of-range encodings behind a valid MAC are refused") {
  const AttributeRecord base = sample_symlink_record();
  auto sealed_with = [](AttributeRecord record) {
    return seal_plaintext(KeyPurpose::attributes, encode_attribute_record(record));
  };
  AttributeRecord bad_nsec = base;
  bad_nsec.attributes.atime.nsec = 1'000'000'000;
  CHECK(open_error(sealed_with(bad_nsec)) == Errc::integrity);
  AttributeRecord long_target = base;
  long_target.attributes.symlink_target.assign(kMaxSymlinkTargetSize + 1, 't');
  CHECK(open_error(sealed_with(long_target)) == Errc::integrity);
  AttributeRecord empty_name = base;
  empty_name.attributes.xattrs[""] = {};
  CHECK(open_error(sealed_with(empty_name)) == Errc::integrity);

  // Two xattrs, then their order swapped by hand: the names must be strictly increasing.
  AttributeRecord two = base;
  two.attributes.symlink_target.clear();
  two.attributes.xattrs = {{"user.a", {}}, {"user.b", {}}};
  Bytes plaintext = encode_attribute_record(two);
  const std::string encoded = to_string(plaintext);
  const std::size_t a = encoded.find("user.a");
  const std::size_t b = encoded.find("user.b");
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  plaintext[a + 5] = 'b';
  plaintext[b + 5] = 'a';
  CHECK(open_error(seal_plaintext(KeyPurpose::attributes, plaintext)) == Errc::integrity);
  plaintext[b + 5] = 'b';  // a duplicate name
  CHECK(open_error(seal_plaintext(KeyPurpose::attributes, plaintext)) == Errc::integrity);
}

TEST_CASE("records of the retired format version 1 are refused by name, never misread") {
  for (KeyPurpose purpose : {KeyPurpose::attributes, KeyPurpose::manifest}) {
    Bytes plaintext = purpose == KeyPurpose::attributes ? encode_attribute_record(sample_symlink_record())
                                                        : encode_manifest(sample_manifest());
    plaintext[1] = 1;
    const Bytes sealed = seal_plaintext(purpose, plaintext);
    const Error error = purpose == KeyPurpose::attributes ? open_attribute_record(record_key(), kNodeId, sealed).error()
                                                          : open_manifest(record_key(), kNodeId, sealed).error();
    CHECK(error.code == Errc::integrity);
    CHECK(error.message.find("format version 1 is no longer read") != std::string::npos);
  }
}

TEST_CASE("a device node's rdev round-trips, right after gid in the attributes block") {
  const AttributeRecord device = sample_device_record();
  CHECK(open_attribute_record(record_key(), kNodeId, seal_attribute_record(record_key(), device)).value() == device);
  const Bytes plaintext = encode_attribute_record(device);
  const std::size_t rdev_at = 2 + 2 + 32 + 8 + 4 + 4 + 4;  // header, node id, revision, mode, uid, gid
  const Bytes expected = {1, 2, 3, 4, 5, 6, 7, 8};
  CHECK(Bytes(plaintext.begin() + rdev_at, plaintext.begin() + rdev_at + 8) == expected);
}
