#include "crypto/keys.hpp"

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/subkeys.hpp"

namespace coffer::crypto {

Bytes wrap_key(const FernetKey& wrapping_key, const FernetKey& key) {
  return fernet_encrypt_raw(derive_subkey(wrapping_key, KeyPurpose::key_wrapping), key.raw());
}

Result<FernetKey> unwrap_key(const FernetKey& wrapping_key, ByteView wrapped) {
  auto raw = fernet_decrypt_secret(derive_subkey(wrapping_key, KeyPurpose::key_wrapping), wrapped);
  if (!raw) return make_error(Errc::integrity, "wrapped key does not verify under the wrapping key");
  auto key = FernetKey::from_raw(*raw);
  if (!key) return make_error(Errc::integrity, "wrapped key has the wrong length");
  return key;
}

bool is_valid_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > kMaxNameSize || name == "." || name == "..") return false;
  return name.find('/') == std::string_view::npos && name.find('\0') == std::string_view::npos;
}

std::string encrypt_name(const FernetKey& parent_key, std::string_view name) {
  return fernet_encrypt(derive_subkey(parent_key, KeyPurpose::name_encryption), as_bytes(name));
}

Result<std::string> decrypt_name(const FernetKey& parent_key, std::string_view token) {
  auto plain = fernet_decrypt(derive_subkey(parent_key, KeyPurpose::name_encryption), token);
  if (!plain) return make_error(Errc::integrity, "encrypted name does not verify under the folder key");
  std::string name = to_string(*plain);
  if (!is_valid_name(name)) return make_error(Errc::integrity, "encrypted name decrypts to an invalid file name");
  return name;
}

std::string name_tag(const FernetKey& parent_key, std::string_view name) {
  const FernetKey tag_key = derive_subkey(parent_key, KeyPurpose::name_tag);
  return hex_encode(hmac_sha256(tag_key.raw(), as_bytes(name)));
}

std::string key_fingerprint(ByteView public_key) {
  const Sha256Digest digest = sha256(public_key);
  const std::string hex = hex_encode(ByteView(digest).first(16));
  std::string grouped;
  for (std::size_t i = 0; i < hex.size(); i += 4) {
    if (i != 0) grouped.push_back(' ');
    grouped.append(hex, i, 4);
  }
  return grouped;
}

}  // namespace coffer::crypto
