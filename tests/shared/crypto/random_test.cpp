#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "crypto/random.hpp"
#include "crypto/secure_buffer.hpp"

using namespace coffer;
using namespace coffer::crypto;

TEST_CASE("random bytes have the requested size and differ between calls") {
  CHECK(random_bytes(0).empty());
  std::set<Bytes> seen;
  for (int i = 0; i < 16; ++i) {
    const Bytes bytes = random_bytes(32);
    CHECK(bytes.size() == 32);
    seen.insert(bytes);
  }
  CHECK(seen.size() == 16);
  const SecureBytes secret = random_secret(32);
  CHECK(secret.size() == 32);
  CHECK_FALSE(std::all_of(secret.begin(), secret.end(), [](std::uint8_t b) { return b == 0; }));
}

TEST_CASE("fill_random writes every byte of the buffer") {
  // With 4096 random bytes, a run of 64 zero bytes at the end means the tail was not written.
  Bytes buffer(4096, 0);
  fill_random(buffer.data(), buffer.size());
  CHECK_FALSE(std::all_of(buffer.end() - 64, buffer.end(), [](std::uint8_t b) { return b == 0; }));
}

TEST_CASE("secure_zero clears memory") {
  std::uint8_t buffer[32];
  std::fill(std::begin(buffer), std::end(buffer), 0x5a);
  secure_zero(buffer, sizeof buffer);
  CHECK(std::all_of(std::begin(buffer), std::end(buffer), [](std::uint8_t b) { return b == 0; }));
  secure_zero(nullptr, 0);
}
