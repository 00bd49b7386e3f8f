#include "crypto/x25519.hpp"

#include <openssl/err.h>

#include <stdexcept>

#include "crypto/keys.hpp"
#include "crypto/openssl_util.hpp"

namespace coffer::crypto {
namespace {

constexpr std::size_t kKeySize = 32;

ossl::Pkey private_pkey(ByteView private_key) {
  return ossl::Pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, private_key.data(), private_key.size()));
}

void export_public(const EVP_PKEY* pkey, std::array<std::uint8_t, 32>& out) {
  std::size_t size = out.size();
  ossl::check(EVP_PKEY_get_raw_public_key(pkey, out.data(), &size), "X25519 public key");
}

}  // namespace

X25519KeyPair X25519KeyPair::generate() {
  ossl::PkeyCtx ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_X25519, nullptr));
  if (!ctx) throw std::bad_alloc();
  ossl::check(EVP_PKEY_keygen_init(ctx.get()), "X25519 keygen init");
  EVP_PKEY* generated = nullptr;
  ossl::check(EVP_PKEY_keygen(ctx.get(), &generated), "X25519 keygen");
  ossl::Pkey pkey(generated);
  X25519KeyPair pair;
  pair.private_key.resize(kKeySize);
  std::size_t size = kKeySize;
  ossl::check(EVP_PKEY_get_raw_private_key(pkey.get(), pair.private_key.data(), &size), "X25519 private key");
  export_public(pkey.get(), pair.public_key);
  return pair;
}

Result<X25519KeyPair> X25519KeyPair::from_private(ByteView private_key) {
  if (private_key.size() != kKeySize) return make_error(Errc::invalid_argument, "an X25519 private key is 32 bytes");
  ossl::Pkey pkey = private_pkey(private_key);
  if (!pkey) throw std::bad_alloc();
  X25519KeyPair pair;
  pair.private_key.assign(private_key.begin(), private_key.end());
  export_public(pkey.get(), pair.public_key);
  return pair;
}

Result<SecureBytes> x25519_shared_secret(ByteView private_key, ByteView peer_public_key) {
  if (peer_public_key.size() != kKeySize) return make_error(Errc::invalid_argument, "an X25519 public key is 32 bytes");
  ossl::Pkey own = private_pkey(private_key);
  ossl::Pkey peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, peer_public_key.data(), kKeySize));
  if (!own || !peer) throw std::bad_alloc();
  ossl::PkeyCtx ctx(EVP_PKEY_CTX_new(own.get(), nullptr));
  if (!ctx) throw std::bad_alloc();
  ossl::check(EVP_PKEY_derive_init(ctx.get()), "X25519 derive init");
  ossl::check(EVP_PKEY_derive_set_peer(ctx.get(), peer.get()), "X25519 peer");
  SecureBytes secret(kKeySize);
  std::size_t size = secret.size();
  if (EVP_PKEY_derive(ctx.get(), secret.data(), &size) != 1) {
    ERR_clear_error();
    return make_error(Errc::invalid_argument, "the X25519 public key is a low-order point");
  }
  return secret;
}

}  // namespace coffer::crypto
