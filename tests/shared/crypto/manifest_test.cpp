#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/manifest.hpp"
#include "crypto/random.hpp"
#include "record_test_support.hpp"

using namespace coffer;
using namespace coffer::crypto;
using namespace coffer::crypto::testing;

namespace {

Errc open_error(ByteView sealed, std::string_view node_id = kNodeId) {
  auto opened = open_manifest(record_key(), node_id, sealed);
  REQUIRE_FALSE(opened);
  return opened.error().code;
}

// A manifest encoded without the sealing checks, as a buggy or hostile key holder could.
Bytes sealed_unchecked(const Manifest& manifest) {
  return seal_plaintext(KeyPurpose::manifest, encode_manifest(manifest));
}

}  // namespace

TEST_CASE("manifests round-trip") {
  const Manifest manifest = sample_manifest();
  CHECK(open_manifest(record_key(), kNodeId, seal_manifest(record_key(), manifest)).value() == manifest);
  Manifest empty;
  empty.node_id = kNodeId;
  CHECK(open_manifest(record_key(), kNodeId, seal_manifest(record_key(), empty)).value() == empty);
}

TEST_CASE("chunk_count rounds up and is zero for an empty file") {
  CHECK(chunk_count(0, 4) == 0);
  CHECK(chunk_count(1, 4) == 1);
  CHECK(chunk_count(4, 4) == 1);
  CHECK(chunk_count(5, 4) == 2);
  CHECK(chunk_count(UINT64_MAX, 1u << 20) == (UINT64_MAX >> 20) + 1);
}

TEST_CASE("every flipped bit of a sealed manifest is an integrity failure") {
  const Bytes sealed = seal_manifest(record_key(), sample_manifest());
  for (std::size_t bit = 0; bit < sealed.size() * 8; bit += 7) {
    Bytes flipped = sealed;
    flipped[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    CAPTURE(bit);
    CHECK(open_error(flipped) == Errc::integrity);
  }
}

TEST_CASE("a manifest of another node, or under another key, is refused") {
  const Bytes sealed = seal_manifest(record_key(), sample_manifest());
  CHECK(open_error(sealed, "ffeeddccbbaa99887766554433221100") == Errc::integrity);
  CHECK(open_manifest(FernetKey::generate(), kNodeId, sealed).error().code == Errc::integrity);
  CHECK(open_error(ByteView(sealed).first(sealed.size() - 1)) == Errc::integrity);
  CHECK(open_error({}) == Errc::integrity);
}

TEST_CASE("a chunk list inconsistent with size and chunk size is refused") {
  struct Case {
    const char* name;
    void (*spoil)(Manifest&);
  };
  const Case cases[] = {
      {"one chunk dropped (truncated list)", [](Manifest& m) { m.chunks.pop_back(); }},
      {"one chunk added", [](Manifest& m) { m.chunks.push_back(filled_ref(0x44, 0xa4)); }},
      {"one hole added", [](Manifest& m) { m.chunks.push_back(std::nullopt); }},
      {"size grown past the last chunk", [](Manifest& m) { m.size = 3 * (1u << 20) + 1; }},
      {"size shrunk below the last chunk", [](Manifest& m) { m.size = 2 * (1u << 20); }},
      {"chunk size zero", [](Manifest& m) { m.chunk_size = 0; }},
      {"chunk size above the maximum", [](Manifest& m) { m.chunk_size = kMaxChunkSize + 1; }},
      {"empty file with a chunk", [](Manifest& m) { m.size = 0; }},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    Manifest manifest = sample_manifest();
    c.spoil(manifest);
    CHECK(open_error(sealed_unchecked(manifest)) == Errc::integrity);
    CHECK_THROWS_AS(seal_manifest(record_key(), manifest), std::invalid_argument);
  }
}

TEST_CASE("the sealed order of chunks is the order opened") {
  Manifest reordered = sample_manifest();
  std::swap(reordered.chunks[0]->id, reordered.chunks[2]->id);  // each keeps data blocks that fit its place
  std::swap(reordered.chunks[0]->mac, reordered.chunks[2]->mac);
  const Manifest opened = open_manifest(record_key(), kNodeId, seal_manifest(record_key(), reordered)).value();
  CHECK(opened.chunks == reordered.chunks);
  CHECK(opened.chunks != sample_manifest().chunks);
}

TEST_CASE("holes round-trip, alone or between chunks, and cost one byte each") {
  Manifest sparse = sample_manifest();
  sparse.size = 5u << 20;
  sparse.chunks = {std::nullopt, std::nullopt, filled_ref(0x55, 0xa5), std::nullopt, std::nullopt};
  const Bytes encoded = encode_manifest(sparse);
  // The sample has two chunks and a hole; this one chunk and four holes (a chunk is 1 + 32 + 32 + 4).
  CHECK(encoded.size() == encode_manifest(sample_manifest()).size() - (2 * 69 + 1) + (69 + 4));
  CHECK(open_manifest(record_key(), kNodeId, seal_manifest(record_key(), sparse)).value() == sparse);
  sparse.chunks.assign(5, std::nullopt);
  CHECK(open_manifest(record_key(), kNodeId, seal_manifest(record_key(), sparse)).value() == sparse);
}

TEST_CASE("a chunk entry marker other than 0 (hole) or 1 (chunk) is refused") {
  Manifest one_chunk = sample_manifest();
  one_chunk.size = 1;
  one_chunk.chunks = {filled_ref(0x11, 0xa1)};
  Bytes plaintext = encode_manifest(one_chunk);
  const std::size_t marker = 2 + 2 + 32 + 8 + 8 + 4 + 4;  // after kind, version, node id, numbers, count
  REQUIRE(plaintext[marker] == 1);
  for (std::uint8_t bad : {2, 0x80, 0xff}) {
    plaintext[marker] = bad;
    CHECK(open_error(seal_plaintext(KeyPurpose::manifest, plaintext)) == Errc::integrity);
  }
  // A hole marker followed by the 68 bytes of a chunk: trailing bytes.
  plaintext[marker] = 0;
  CHECK(open_error(seal_plaintext(KeyPurpose::manifest, plaintext)) == Errc::integrity);
}

TEST_CASE("a chunk count larger than the bytes left is refused before allocating") {
  Manifest huge = sample_manifest();
  huge.size = std::uint64_t{0xffffffff} * huge.chunk_size;
  huge.chunks.clear();
  Bytes plaintext = encode_manifest(huge);  // count 0: patch in the count the size needs
  const std::size_t count_at = 2 + 2 + 32 + 8 + 8 + 4;
  for (std::size_t i = 0; i < 4; ++i) plaintext[count_at + i] = 0xff;
  CHECK(open_error(seal_plaintext(KeyPurpose::manifest, plaintext)) == Errc::integrity);
}

TEST_CASE("malformed manifest plaintexts behind a valid MAC are refused") {
  const Bytes good = encode_manifest(sample_manifest());
  auto with = [&](auto edit) {
    Bytes plaintext = good;
    edit(plaintext);
    return seal_plaintext(KeyPurpose::manifest, plaintext);
  };
  CHECK(open_error(with([](Bytes& p) { p[0] = 'A'; })) == Errc::integrity);
  CHECK(open_error(with([](Bytes& p) { p[1] = 1; })) == Errc::integrity);  // retired format versions
  CHECK(open_error(with([](Bytes& p) { p[1] = 2; })) == Errc::integrity);
  CHECK(open_error(with([](Bytes& p) { p[1] = 4; })) == Errc::integrity);  // unknown
  CHECK(open_error(with([](Bytes& p) { p.push_back(0); })) == Errc::integrity);
  CHECK(open_error(with([](Bytes& p) { p.pop_back(); })) == Errc::integrity);
  CHECK(open_error(with([](Bytes& p) { p.resize(40); })) == Errc::integrity);
  CHECK(open_error(with([](Bytes& p) { p.clear(); })) == Errc::integrity);
  CHECK(open_error(with([](Bytes& p) { p[2] = 0xff; })) == Errc::integrity);  // node id length
}

TEST_CASE("an attribute record cannot be opened as a manifest, nor a chunk") {
  const Bytes record = seal_attribute_record(record_key(), sample_symlink_record());
  CHECK(open_error(record) == Errc::integrity);
  // A chunk whose plaintext is a valid manifest encoding: chunks are under the bare file key.
  const Bytes chunk = fernet_encrypt_raw(record_key(), encode_manifest(sample_manifest()));
  CHECK(open_error(chunk) == Errc::integrity);
}

TEST_CASE("sealing refuses a node id or attributes that could not be opened") {
  Manifest manifest = sample_manifest();
  manifest.node_id.clear();
  CHECK_THROWS_AS(seal_manifest(record_key(), manifest), std::invalid_argument);
  manifest = sample_manifest();
  manifest.attributes.mtime.nsec = 1'000'000'000;
  CHECK_THROWS_AS(seal_manifest(record_key(), manifest), std::invalid_argument);
}

TEST_CASE("stored_bytes counts the data blocks of stored chunks, 4 KiB each, and nothing for a hole") {
  Manifest manifest = sample_manifest();  // 2'500'000 bytes in 1 MiB chunks: 256 blocks, hole, 7 blocks
  CHECK(stored_bytes(manifest) == (256 + 7) * 4096);
  manifest.chunks[1] = filled_ref(0x22, 0xa2, 3);
  CHECK(stored_bytes(manifest) == (256 + 3 + 7) * 4096);
  manifest.chunks.assign(3, std::nullopt);
  CHECK(stored_bytes(manifest) == 0);
}

TEST_CASE("a stored chunk's data blocks round-trip, and must be 1 to the blocks its length holds") {
  Manifest manifest = sample_manifest();  // the last chunk covers 402'848 bytes: 99 blocks at most
  for (std::uint32_t blocks : {1u, 98u, 99u}) {
    manifest.chunks[2]->data_blocks = blocks;
    CHECK(open_manifest(record_key(), kNodeId, seal_manifest(record_key(), manifest)).value() == manifest);
  }
  // Named copies, not a structured binding: clang 14 cannot capture one in CAPTURE's lambda.
  for (auto spoil : {std::pair{0, 0u}, std::pair{0, 257u}, std::pair{2, 0u}, std::pair{2, 100u}}) {
    const int index = spoil.first;
    const std::uint32_t blocks = spoil.second;
    CAPTURE(index);
    CAPTURE(blocks);
    Manifest spoiled = sample_manifest();
    spoiled.chunks[static_cast<std::size_t>(index)]->data_blocks = blocks;
    CHECK_THROWS_AS(seal_manifest(record_key(), spoiled), std::invalid_argument);
    CHECK(open_error(sealed_unchecked(spoiled)) == Errc::integrity);
  }
}

TEST_CASE("a manifest of format version 2 (no data blocks) is refused by name, never misread") {
  Bytes plaintext = encode_manifest(sample_manifest());
  REQUIRE(plaintext[1] == 3);
  plaintext[1] = 2;
  auto opened = open_manifest(record_key(), kNodeId, seal_plaintext(KeyPurpose::manifest, plaintext));
  REQUIRE_FALSE(opened);
  CHECK(opened.error().code == Errc::integrity);
  CHECK(opened.error().message.find("format version 2 is no longer read") != std::string::npos);
}

TEST_CASE("count_data_blocks counts 4 KiB blocks holding a non-zero byte, a short last block included") {
  Bytes plaintext(10 * 4096 + 5, 0);
  CHECK(count_data_blocks(plaintext) == 0);
  CHECK(count_data_blocks({}) == 0);
  plaintext[4096 + 4095] = 1;  // the last byte of block 1: the quick check of its first word misses it
  CHECK(count_data_blocks(plaintext) == 1);
  plaintext[3 * 4096] = 1;
  plaintext[10 * 4096 + 4] = 1;  // the short last block
  CHECK(count_data_blocks(plaintext) == 3);
  CHECK(count_data_blocks(Bytes(3, 7)) == 1);
  const Bytes random = random_bytes(1 << 20);
  CHECK(count_data_blocks(random) == 256);  // a random 4 KiB block is all zeros with probability 2^-32768
}
