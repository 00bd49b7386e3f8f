#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/bytes.hpp"
#include "crypto/chunk_bytes.hpp"
#include "util/result.hpp"

namespace coffer::crypto {

// A Fernet key: 16 bytes signing key followed by 16 bytes AES-128 encryption key.
class FernetKey {
 public:
  static constexpr std::size_t kSize = 32;

  static FernetKey generate();
  static Result<FernetKey> from_raw(ByteView raw);             // exactly 32 bytes
  static Result<FernetKey> from_base64(std::string_view text);  // the standard 44-char form

  ByteView raw() const { return {bytes_.data(), bytes_.size()}; }
  ByteView signing_key() const { return raw().first(16); }
  ByteView encryption_key() const { return raw().subspan(16, 16); }
  std::string to_base64() const;  // secret: never log it

 private:
  explicit FernetKey(SecureBytes bytes) : bytes_(std::move(bytes)) {}
  SecureBytes bytes_;
};

// Seconds since the Unix epoch; injectable for tests and the CLI's --now.
using Clock = std::function<std::uint64_t()>;
std::uint64_t system_clock_seconds();

struct DecryptOptions {
  std::optional<std::uint64_t> ttl_seconds;  // none: no expiry check (always so for stored data)
  Clock clock = system_clock_seconds;
};

// Raw tokens are the base64url-decoded bytes of the standard token: version 0x80, 8-byte
// big-endian timestamp, 16-byte IV, AES-128-CBC ciphertext with PKCS7 padding, 32-byte HMAC.
inline constexpr std::uint8_t kFernetVersion = 0x80;
inline constexpr std::size_t kFernetOverhead = 1 + 8 + 16 + 32;  // besides the ciphertext
inline constexpr std::size_t kFernetMinRawSize = kFernetOverhead + 16;
// The raw token size for a plaintext of `plaintext_size` bytes (PKCS7 always adds 1-16 bytes).
constexpr std::size_t fernet_raw_size(std::size_t plaintext_size) {
  return kFernetOverhead + (plaintext_size / 16 + 1) * 16;
}

Bytes fernet_encrypt_raw(const FernetKey& key, ByteView plaintext, const Clock& clock = system_clock_seconds);
std::string fernet_encrypt(const FernetKey& key, ByteView plaintext, const Clock& clock = system_clock_seconds);

// Encryption with a caller-chosen timestamp and IV, for known-answer tests and golden vectors.
// Everything else uses the functions above: an IV reused under one key leaks plaintext.
using FernetIv = std::array<std::uint8_t, 16>;
Bytes fernet_encrypt_raw_with_iv(const FernetKey& key, ByteView plaintext, std::uint64_t timestamp,
                                 const FernetIv& iv);

// Verifies the MAC in constant time before any decryption; every malformed token is
// Errc::invalid_token with a message that names the defect and never any key or plaintext.
Result<Bytes> fernet_decrypt_raw(const FernetKey& key, ByteView token, const DecryptOptions& options = {});
Result<Bytes> fernet_decrypt(const FernetKey& key, std::string_view token, const DecryptOptions& options = {});
// For chunk-sized tokens: the same checks, into a buffer that is not zeroed before AES writes it.
Result<ChunkBytes> fernet_decrypt_large(const FernetKey& key, ByteView token);
// For tokens that carry key material: the plaintext is wiped when freed.
Result<SecureBytes> fernet_decrypt_secret(const FernetKey& key, ByteView raw_token);

}  // namespace coffer::crypto
