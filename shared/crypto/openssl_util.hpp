#pragma once

// Internal to coffer_crypto: owning handles for OpenSSL objects and algorithms fetched once.
// OpenSSL 3 looks an algorithm up by name on every implicit use (EVP_sha256() and friends);
// fetching once per process keeps small operations (names, keys, tags) cheap.

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <memory>

namespace coffer::crypto::ossl {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const noexcept { Free(p); }
};

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using MacCtx = std::unique_ptr<EVP_MAC_CTX, Deleter<EVP_MAC_CTX_free>>;
using KdfCtx = std::unique_ptr<EVP_KDF_CTX, Deleter<EVP_KDF_CTX_free>>;
using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;

// Each returns a process-wide algorithm fetched on first use; throws std::runtime_error if the
// provider lacks it (a broken installation, not an expected failure).
const EVP_CIPHER* aes_128_cbc();
const EVP_MD* sha256();
EVP_MAC* hmac();
EVP_KDF* hkdf();
EVP_KDF* scrypt();

// Throws std::runtime_error naming `what` when an OpenSSL call that cannot fail on valid
// input reports failure (allocation failure or a broken provider).
void check(int openssl_result, const char* what);

}  // namespace coffer::crypto::ossl
