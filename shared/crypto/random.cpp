#include "crypto/random.hpp"

#include <openssl/rand.h>

#include <limits>
#include <stdexcept>

namespace coffer::crypto {
namespace {

using Generator = int (*)(unsigned char*, int);

// RAND_bytes takes an int count, so large requests are served in pieces.
void fill_with(Generator generate, std::uint8_t* out, std::size_t count) {
  constexpr std::size_t kMaxPiece = static_cast<std::size_t>(std::numeric_limits<int>::max());
  while (count > 0) {
    const std::size_t piece = count < kMaxPiece ? count : kMaxPiece;
    if (generate(out, static_cast<int>(piece)) != 1) {
      throw std::runtime_error("the OpenSSL random generator failed");
    }
    out += piece;
    count -= piece;
  }
}

}  // namespace

void fill_random(std::uint8_t* out, std::size_t count) { fill_with(RAND_bytes, out, count); }

Bytes random_bytes(std::size_t count) {
  Bytes out(count);
  fill_random(out.data(), count);
  return out;
}

// Secrets come from the private DRBG, so that a leak of public random output (IVs, salts)
// reveals nothing about the state that produced keys.
SecureBytes random_secret(std::size_t count) {
  SecureBytes out(count);
  fill_with(RAND_priv_bytes, out.data(), count);
  return out;
}

}  // namespace coffer::crypto
