#include "crypto/keys.hpp"

namespace coffer::crypto {
namespace {

// Plaintext: format version (1 byte), master key (32 raw bytes), X25519 private key (32).
// The public key is derived again on opening rather than trusted from storage.
constexpr std::uint8_t kBundleFormat = 1;
constexpr std::size_t kBundleSize = 1 + FernetKey::kSize + 32;

Error bad_bundle(const char* defect) { return make_error(Errc::integrity, std::string("key bundle: ") + defect); }

}  // namespace

UserKeyBundle UserKeyBundle::generate() { return UserKeyBundle{FernetKey::generate(), X25519KeyPair::generate()}; }

Bytes seal_key_bundle(const FernetKey& kek, const UserKeyBundle& bundle) {
  SecureBytes plaintext;
  plaintext.reserve(kBundleSize);
  plaintext.push_back(kBundleFormat);
  plaintext.insert(plaintext.end(), bundle.master_key.raw().begin(), bundle.master_key.raw().end());
  plaintext.insert(plaintext.end(), bundle.identity.private_key.begin(), bundle.identity.private_key.end());
  return fernet_encrypt_raw(kek, plaintext);
}

Result<UserKeyBundle> open_key_bundle(const FernetKey& kek, ByteView sealed) {
  auto plaintext = fernet_decrypt_secret(kek, sealed);
  if (!plaintext) return bad_bundle("does not verify under the key-encryption key");
  if (plaintext->size() != kBundleSize) return bad_bundle("wrong length");
  if ((*plaintext)[0] != kBundleFormat) return bad_bundle("unknown format version");
  const ByteView fields(*plaintext);
  auto identity = X25519KeyPair::from_private(fields.subspan(1 + FernetKey::kSize));
  if (!identity) return bad_bundle("invalid identity key");
  return UserKeyBundle{FernetKey::from_raw(fields.subspan(1, FernetKey::kSize)).value(), std::move(identity).value()};
}

}  // namespace coffer::crypto
