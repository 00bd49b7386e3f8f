#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>

#include "crypto/chunk.hpp"
#include "crypto/encoding.hpp"
#include "crypto/random.hpp"

using namespace coffer;
using namespace coffer::crypto;

TEST_CASE("chunk ids are SHA-256 of the stored bytes, in lowercase hex") {
  const ChunkId id = ChunkId::of(as_bytes("abc"));
  CHECK(id.hex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(ChunkId::from_hex(id.hex()).value() == id);
  for (const char* bad : {"", "ba78", "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD",
                          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad00"}) {
    CAPTURE(bad);
    CHECK(ChunkId::from_hex(bad).error().code == Errc::invalid_argument);
  }
}

TEST_CASE("chunks round-trip and their stored bytes re-encode to a standard token") {
  const FernetKey key = FernetKey::generate();
  for (std::size_t size : {0, 1, 16, 4096, 1 << 20}) {
    CAPTURE(size);
    const Bytes plaintext = random_bytes(size);
    const EncryptedChunk chunk = encrypt_chunk(key, plaintext);
    CHECK(chunk.id == ChunkId::of(chunk.stored));
    const ChunkRef ref = chunk.ref();
    CHECK(ref.id == chunk.id);
    CHECK(std::equal(ref.mac.begin(), ref.mac.end(), chunk.stored.end() - 32));
    CHECK(decrypt_chunk(key, ref.mac, chunk.stored).value() == ChunkBytes(plaintext));
    CHECK(fernet_decrypt(key, base64url_encode(chunk.stored)).value() == plaintext);
  }
}

TEST_CASE("a chunk that is not the token the manifest names, or not under its file key, is refused") {
  const FernetKey key = FernetKey::generate();
  const EncryptedChunk first = encrypt_chunk(key, as_bytes("first chunk"));
  const EncryptedChunk second = encrypt_chunk(key, as_bytes("second chunk"));
  const Sha256Digest mac = first.ref().mac;
  SUBCASE("swapped: the server answers one chunk's id with another chunk") {
    CHECK(decrypt_chunk(key, mac, second.stored).error().code == Errc::integrity);
  }
  SUBCASE("truncated, down to nothing") {
    const ByteView prefix = ByteView(first.stored).first(first.stored.size() - 16);
    CHECK(decrypt_chunk(key, mac, prefix).error().code == Errc::integrity);
    CHECK(decrypt_chunk(key, mac, ByteView(first.stored).last(32)).error().code == Errc::integrity);
    CHECK(decrypt_chunk(key, mac, {}).error().code == Errc::integrity);
  }
  SUBCASE("a bit flipped anywhere, the MAC itself included") {
    for (std::size_t at : {std::size_t{0}, std::size_t{9}, std::size_t{40}, first.stored.size() - 1}) {
      CAPTURE(at);
      Bytes flipped = first.stored;
      flipped[at] ^= 0x10;
      CHECK(decrypt_chunk(key, mac, flipped).error().code == Errc::integrity);
      // The MAC bytes copied along: Fernet's own verification still refuses it.
      Sha256Digest copied_mac;
      std::copy(flipped.end() - 32, flipped.end(), copied_mac.begin());
      CHECK(decrypt_chunk(key, copied_mac, flipped).error().code == Errc::integrity);
    }
  }
  SUBCASE("from another file: another file key, its own MAC named") {
    const EncryptedChunk foreign = encrypt_chunk(FernetKey::generate(), as_bytes("first chunk"));
    CHECK(decrypt_chunk(key, foreign.ref().mac, foreign.stored).error().code == Errc::integrity);
  }
}

TEST_CASE("split_chunks cuts fixed-size pieces; the last may be shorter") {
  const Bytes data = random_bytes(10);
  CHECK(split_chunks({}, 4).empty());
  const auto pieces = split_chunks(data, 4);
  REQUIRE(pieces.size() == 3);
  CHECK(pieces[0].size() == 4);
  CHECK(pieces[2].size() == 2);
  CHECK(pieces[2].data() == data.data() + 8);
  CHECK(split_chunks(data, 5).size() == 2);
  CHECK(split_chunks(data, 10).size() == 1);
  CHECK(split_chunks(data, 100).size() == 1);
  CHECK_THROWS_AS(split_chunks(data, 0), std::invalid_argument);
}

TEST_CASE("ChunkBytes: copies, moves, and zeros exactly the bytes resize adds") {
  const Bytes source = {1, 2, 3, 4, 5};
  ChunkBytes bytes(source);
  CHECK(bytes.size() == 5);
  CHECK(std::equal(bytes.begin(), bytes.end(), source.begin(), source.end()));
  bytes.resize(2);
  CHECK(bytes == ChunkBytes(Bytes{1, 2}));
  bytes.resize(4);  // within the old capacity: the bytes cut off before must not come back
  CHECK(bytes == ChunkBytes(Bytes{1, 2, 0, 0}));
  bytes.resize(100000);  // beyond it: a new buffer, the content kept, the rest zeros
  CHECK(bytes.size() == 100000);
  CHECK(bytes[1] == 2);
  CHECK(std::all_of(bytes.begin() + 2, bytes.end(), [](std::uint8_t b) { return b == 0; }));

  ChunkBytes copy = bytes;
  CHECK(copy == bytes);
  copy[0] = 9;
  CHECK(bytes[0] == 1);
  ChunkBytes moved = std::move(copy);
  CHECK(moved[0] == 9);
  CHECK(copy.empty());  // NOLINT(bugprone-use-after-move): a moved-from buffer is empty
  moved.assign(source);
  CHECK(moved == ChunkBytes(source));

  auto fresh = ChunkBytes::uninitialized(1 << 20);
  CHECK(fresh.size() == std::size_t{1} << 20);
  CHECK(ChunkBytes::uninitialized(0).empty());
}
