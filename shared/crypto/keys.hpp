#pragma once

#include <array>
#include <string>
#include <string_view>

#include "crypto/bytes.hpp"
#include "crypto/fernet.hpp"
#include "util/result.hpp"

namespace coffer::crypto {

// Every open/unwrap/decrypt below fails with Errc::integrity when the stored bytes do not
// verify under the given key (tampering, a wrong key, or a token of another kind); messages
// never contain key material. The subkeys named here are those of crypto/subkeys.hpp.

// A node's key wrapped under its parent folder's key (or the user's master key for the root):
// a raw Fernet token, under the parent's key_wrapping subkey, whose plaintext is the 32 raw
// key bytes.
Bytes wrap_key(const FernetKey& wrapping_key, const FernetKey& key);
Result<FernetKey> unwrap_key(const FernetKey& wrapping_key, ByteView wrapped);

// Names: a standard (base64url) Fernet token under the parent folder's name_encryption subkey,
// and a tag for lookup and uniqueness: hex(HMAC-SHA256(HKDF(parent key, "coffer/v1/name"),
// name)). A valid name is 1 to 255 bytes, not "." or "..", without '/' or NUL; callers check
// names before encrypting them, and decrypt_name refuses an invalid one as Errc::integrity.
inline constexpr std::size_t kMaxNameSize = 255;
bool is_valid_name(std::string_view name) noexcept;
std::string encrypt_name(const FernetKey& parent_key, std::string_view name);
Result<std::string> decrypt_name(const FernetKey& parent_key, std::string_view token);
std::string name_tag(const FernetKey& parent_key, std::string_view name);

struct X25519KeyPair {
  SecureBytes private_key;                 // 32 bytes
  std::array<std::uint8_t, 32> public_key{};
  static X25519KeyPair generate();
  static Result<X25519KeyPair> from_private(ByteView private_key);
};

// The user's key bundle, stored on the server as a Fernet token under kek.
struct UserKeyBundle {
  FernetKey master_key;
  X25519KeyPair identity;
  static UserKeyBundle generate();
};
Bytes seal_key_bundle(const FernetKey& kek, const UserKeyBundle& bundle);
Result<UserKeyBundle> open_key_bundle(const FernetKey& kek, ByteView sealed);

// A human-comparable fingerprint of a public key: the first 16 bytes of SHA-256 in hex,
// grouped by 4 with spaces ("1a2b 3c4d ...").
std::string key_fingerprint(ByteView public_key);

}  // namespace coffer::crypto
