// libFuzzer target: Fernet token parsing in every form Coffer accepts one (standard text,
// raw bytes, correctly signed raw bytes, and the key-carrying tokens built on them).
// Crashes, sanitizer reports and broken round-trip properties are findings.

#include <cstdlib>
#include <string_view>

#include "crypto/encoding.hpp"
#include "crypto/fernet.hpp"
#include "crypto/grant_seal.hpp"
#include "crypto/hash.hpp"
#include "crypto/keys.hpp"

namespace {

using namespace coffer;
using namespace coffer::crypto;

const FernetKey& fuzz_key() {
  static const FernetKey key = FernetKey::from_base64("cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=").value();
  return key;
}

const X25519KeyPair& fuzz_identity() {
  static const X25519KeyPair pair = X25519KeyPair::from_private(ByteView(fuzz_key().raw())).value();
  return pair;
}

void require(bool property) {
  if (!property) std::abort();
}

// Canonical base64url: whatever decodes must encode back to the same text.
void check_base64(std::string_view text) {
  auto decoded = base64url_decode(text);
  if (decoded) require(base64url_encode(*decoded) == text);
}

// The input as header and ciphertext, signed with the right key: reaches the checks behind
// the MAC. A token that decrypts must be exactly what encrypting its plaintext again with the
// same timestamp and IV gives.
void check_signed(ByteView input) {
  Bytes token(input.begin(), input.end());
  const Sha256Digest mac = hmac_sha256(fuzz_key().signing_key(), input);
  token.insert(token.end(), mac.begin(), mac.end());
  auto plaintext = fernet_decrypt_raw(fuzz_key(), token);
  if (!plaintext) return;
  std::uint64_t timestamp = 0;
  for (int i = 1; i <= 8; ++i) timestamp = (timestamp << 8) | token[i];
  FernetIv iv;
  std::copy(token.begin() + 9, token.begin() + 25, iv.begin());
  require(fernet_encrypt_raw_with_iv(fuzz_key(), *plaintext, timestamp, iv) == token);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_base64(text);
  // Seeds hold valid tokens, so these may succeed; the finding would be a crash or a report.
  (void)fernet_decrypt(fuzz_key(), text, {60, [] { return std::uint64_t{1'700'000'000}; }});
  (void)fernet_decrypt_raw(fuzz_key(), input);
  (void)unwrap_key(fuzz_key(), input);
  (void)open_key_bundle(fuzz_key(), input);
  (void)open_grant(fuzz_identity(), fuzz_identity().public_key, input, "fuzz", "fuzz");
  (void)decrypt_name(fuzz_key(), text);
  check_signed(input);
  require(fernet_decrypt_raw(fuzz_key(), fernet_encrypt_raw(fuzz_key(), input)).value() ==
          Bytes(input.begin(), input.end()));
  return 0;
}
