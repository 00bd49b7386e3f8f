#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <vector>

#include "crypto/folder_record.hpp"
#include "record_test_support.hpp"

using namespace coffer;
using namespace coffer::crypto;
using namespace coffer::crypto::testing;

namespace {

using Tag = FolderCommitment::Tag;

Error open_failure(ByteView sealed, std::string_view node_id = kNodeId, const FernetKey& key = record_key()) {
  auto opened = open_folder_record(key, node_id, sealed);
  REQUIRE_FALSE(opened);
  return opened.error();
}

Bytes sealed_edited(void (*edit)(Bytes&)) {
  Bytes plaintext = encode_folder_record(sample_folder_record());
  edit(plaintext);
  return seal_plaintext(KeyPurpose::folder, plaintext);
}

template <class Array>
Array random_array(std::mt19937_64& random) {
  Array out;
  for (auto& byte : out) byte = static_cast<std::uint8_t>(random());
  return out;
}

struct Leaf {
  Tag tag;
  Sha256Digest mac;
};

std::vector<Leaf> random_leaves(std::mt19937_64& random, std::size_t count) {
  std::vector<Leaf> leaves;
  for (std::size_t i = 0; i < count; ++i) leaves.push_back({random_array<Tag>(random), random_array<Sha256Digest>(random)});
  return leaves;
}

Sha256Digest digest_from_scratch(const std::vector<Leaf>& leaves) {
  FolderCommitment commitment;
  for (const Leaf& leaf : leaves) commitment.set(leaf.tag, leaf.mac);
  return commitment.digest();
}

Tag tag_of(std::uint8_t first, std::uint8_t last) {
  Tag tag{};
  tag.front() = first;
  tag.back() = last;
  return tag;
}

Sha256Digest mac_of(std::uint8_t byte) {
  Sha256Digest mac;
  mac.fill(byte);
  return mac;
}

}  // namespace

TEST_CASE("folder records round-trip") {
  const FolderRecord record = sample_folder_record();
  CHECK(open_folder_record(record_key(), kNodeId, seal_folder_record(record_key(), record)).value() == record);
  FolderRecord empty;
  empty.node_id = kNodeId;
  CHECK(open_folder_record(record_key(), kNodeId, seal_folder_record(record_key(), empty)).value() == empty);
}

TEST_CASE("a folder record of another folder, under another key or of another kind is refused") {
  const Bytes sealed = seal_folder_record(record_key(), sample_folder_record());
  CHECK(open_failure(sealed, "ffeeddccbbaa99887766554433221100").code == Errc::integrity);
  CHECK(open_failure(sealed, kNodeId, FernetKey::generate()).code == Errc::integrity);
  CHECK(open_failure(sealed_edited([](Bytes& p) { p[0] = 'E'; })).code == Errc::integrity);
  // A valid record plaintext under the bare folder key or under the manifest subkey.
  const Bytes plaintext = encode_folder_record(sample_folder_record());
  CHECK(open_failure(fernet_encrypt_raw(record_key(), plaintext)).code == Errc::integrity);
  CHECK(open_failure(seal_plaintext(KeyPurpose::manifest, plaintext)).code == Errc::integrity);
  for (std::size_t bit = 0; bit < sealed.size() * 8; bit += 7) {
    Bytes flipped = sealed;
    flipped[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    CAPTURE(bit);
    CHECK(open_failure(flipped).code == Errc::integrity);
  }
}

TEST_CASE("malformed folder records behind a valid MAC are refused") {
  const Error version_1 = open_failure(sealed_edited([](Bytes& p) { p[1] = 1; }));
  CHECK(version_1.code == Errc::integrity);
  CHECK(version_1.message.find("format version 1 is no longer read") != std::string::npos);
  CHECK(open_failure(sealed_edited([](Bytes& p) { p[1] = 3; })).code == Errc::integrity);
  CHECK(open_failure(sealed_edited([](Bytes& p) { p.push_back(0); })).code == Errc::integrity);
  CHECK(open_failure(sealed_edited([](Bytes& p) { p.pop_back(); })).code == Errc::integrity);
  CHECK(open_failure(sealed_edited([](Bytes& p) { p.resize(20); })).code == Errc::integrity);
  CHECK(open_failure(sealed_edited([](Bytes& p) { p.clear(); })).code == Errc::integrity);
}

TEST_CASE("sealing refuses a node id that could never be opened") {
  FolderRecord record = sample_folder_record();
  record.node_id.clear();
  CHECK_THROWS_AS(seal_folder_record(record_key(), record), std::invalid_argument);
  record.node_id.assign(256, 'n');
  CHECK_THROWS_AS(seal_folder_record(record_key(), record), std::invalid_argument);
}

TEST_CASE("the commitment to the empty set is the documented value") {
  // SHA-256("coffer/v1/folder-set" || u64 0 || 256 x SHA-256("")), computed in Python.
  CHECK(hex_encode(FolderCommitment{}.digest()) == "3eb1cf60f3703792d5bc4e0233912cb585b1a9f279223f80edc4e0f5a20375c0");
  CHECK(FolderCommitment{}.size() == 0);
}

TEST_CASE("the commitment does not depend on the order leaves were set in") {
  std::mt19937_64 random(12);
  std::vector<Leaf> leaves = random_leaves(random, 300);
  const Sha256Digest expected = digest_from_scratch(leaves);
  for (int round = 0; round < 5; ++round) {
    std::shuffle(leaves.begin(), leaves.end(), random);
    CHECK(digest_from_scratch(leaves) == expected);
  }
}

TEST_CASE("setting, replacing and erasing a leaf change the commitment") {
  FolderCommitment commitment;
  commitment.set(tag_of(7, 1), mac_of(1));
  commitment.set(tag_of(7, 2), mac_of(2));
  const Sha256Digest two = commitment.digest();

  commitment.set(tag_of(7, 3), mac_of(3));
  CHECK(commitment.size() == 3);
  const Sha256Digest three = commitment.digest();
  CHECK(three != two);

  commitment.set(tag_of(7, 3), mac_of(4));  // replaced: same count, other MAC
  CHECK(commitment.size() == 3);
  CHECK(commitment.find(tag_of(7, 3)) == mac_of(4));
  CHECK(commitment.digest() != three);

  commitment.erase(tag_of(7, 3));
  CHECK(commitment.size() == 2);
  CHECK_FALSE(commitment.find(tag_of(7, 3)));
  CHECK(commitment.digest() == two);
  commitment.erase(tag_of(9, 9));  // absent: nothing changes
  CHECK(commitment.size() == 2);
  CHECK(commitment.digest() == two);
}

TEST_CASE("swapping MACs between entries, or moving a leaf to another tag, changes the commitment") {
  FolderCommitment original;
  original.set(tag_of(1, 0), mac_of(0xaa));
  original.set(tag_of(2, 0), mac_of(0xbb));
  FolderCommitment swapped;
  swapped.set(tag_of(1, 0), mac_of(0xbb));
  swapped.set(tag_of(2, 0), mac_of(0xaa));
  CHECK(original.digest() != swapped.digest());
  FolderCommitment moved;
  moved.set(tag_of(1, 1), mac_of(0xaa));
  moved.set(tag_of(2, 0), mac_of(0xbb));
  CHECK(original.digest() != moved.digest());
}

TEST_CASE("an incrementally updated commitment equals one computed from scratch") {
  std::mt19937_64 random(2026);
  std::vector<Leaf> live = random_leaves(random, 50);
  FolderCommitment incremental;
  for (const Leaf& leaf : live) incremental.set(leaf.tag, leaf.mac);
  for (int step = 0; step < 200; ++step) {
    const auto action = random() % 3;
    if (action == 0 || live.empty()) {
      live.push_back({random_array<Tag>(random), random_array<Sha256Digest>(random)});
      incremental.set(live.back().tag, live.back().mac);
    } else if (action == 1) {
      Leaf& leaf = live[random() % live.size()];
      leaf.mac = random_array<Sha256Digest>(random);
      incremental.set(leaf.tag, leaf.mac);
    } else {
      const std::size_t index = random() % live.size();
      incremental.erase(live[index].tag);
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(index));
    }
    if (step % 10 == 0) {
      CAPTURE(step);
      REQUIRE(incremental.size() == live.size());
      CHECK(incremental.digest() == digest_from_scratch(live));
    }
  }
  CHECK(incremental.digest() == digest_from_scratch(live));
}

TEST_CASE("tag_from_hex takes exactly 64 lowercase hex characters") {
  const std::string hex(64, 'a');
  Tag expected;
  expected.fill(0xaa);
  CHECK(FolderCommitment::tag_from_hex(hex).value() == expected);
  CHECK(FolderCommitment::tag_from_hex(hex.substr(2)).error().code == Errc::invalid_argument);
  CHECK(FolderCommitment::tag_from_hex(std::string(64, 'A')).error().code == Errc::invalid_argument);
  CHECK(FolderCommitment::tag_from_hex(hex + "aa").error().code == Errc::invalid_argument);
}
