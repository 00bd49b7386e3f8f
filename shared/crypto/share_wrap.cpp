#include "crypto/hash.hpp"
#include "crypto/keys.hpp"
#include "crypto/x25519.hpp"

namespace coffer::crypto {
namespace {

constexpr std::size_t kPublicKeySize = 32;

// Binding both public keys into the derivation ties the wrapping key to this exact pair, so a
// wrap cannot be replayed as if made for another recipient.
Result<FernetKey> share_key(ByteView private_key, ByteView peer_public, ByteView eph_public,
                            ByteView recipient_public) {
  auto secret = x25519_shared_secret(private_key, peer_public);
  if (!secret) return std::move(secret).error();
  Bytes salt(eph_public.begin(), eph_public.end());
  salt.insert(salt.end(), recipient_public.begin(), recipient_public.end());
  return FernetKey::from_raw(hkdf_sha256(*secret, "coffer/v1/share", FernetKey::kSize, salt));
}

}  // namespace

Result<Bytes> wrap_key_for_public_key(ByteView recipient_public_key, const FernetKey& key) {
  const X25519KeyPair ephemeral = X25519KeyPair::generate();
  auto wrapping = share_key(ephemeral.private_key, recipient_public_key, ephemeral.public_key, recipient_public_key);
  if (!wrapping) return std::move(wrapping).error();
  Bytes wrapped(ephemeral.public_key.begin(), ephemeral.public_key.end());
  const Bytes token = fernet_encrypt_raw(*wrapping, key.raw());
  wrapped.insert(wrapped.end(), token.begin(), token.end());
  return wrapped;
}

Result<FernetKey> unwrap_key_with_private_key(const X25519KeyPair& recipient, ByteView wrapped) {
  if (wrapped.size() < kPublicKeySize + kFernetMinRawSize) {
    return make_error(Errc::integrity, "shared key: too short");
  }
  const ByteView eph_public = wrapped.first(kPublicKeySize);
  auto wrapping = share_key(recipient.private_key, eph_public, eph_public, recipient.public_key);
  if (!wrapping) return make_error(Errc::integrity, "shared key: invalid ephemeral public key");
  auto raw = fernet_decrypt_secret(*wrapping, wrapped.subspan(kPublicKeySize));
  if (!raw) return make_error(Errc::integrity, "shared key does not verify under this identity");
  auto key = FernetKey::from_raw(*raw);
  if (!key) return make_error(Errc::integrity, "shared key has the wrong length");
  return key;
}

}  // namespace coffer::crypto
