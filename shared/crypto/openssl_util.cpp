#include "crypto/openssl_util.hpp"

#include <openssl/err.h>

#include <stdexcept>
#include <string>

namespace coffer::crypto::ossl {
namespace {

template <class T>
T* fetched_or_throw(T* algorithm, const char* name) {
  if (algorithm == nullptr) throw std::runtime_error(std::string("OpenSSL lacks ") + name);
  return algorithm;
}

}  // namespace

// Function-local statics: initialised once, thread-safely; never freed, as they live as long
// as the process.
const EVP_CIPHER* aes_128_cbc() {
  static const EVP_CIPHER* cipher = fetched_or_throw(EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr), "AES-128-CBC");
  return cipher;
}

const EVP_MD* sha256() {
  static const EVP_MD* md = fetched_or_throw(EVP_MD_fetch(nullptr, "SHA256", nullptr), "SHA256");
  return md;
}

EVP_MAC* hmac() {
  static EVP_MAC* mac = fetched_or_throw(EVP_MAC_fetch(nullptr, "HMAC", nullptr), "HMAC");
  return mac;
}

EVP_KDF* hkdf() {
  static EVP_KDF* kdf = fetched_or_throw(EVP_KDF_fetch(nullptr, "HKDF", nullptr), "HKDF");
  return kdf;
}

EVP_KDF* scrypt() {
  static EVP_KDF* kdf = fetched_or_throw(EVP_KDF_fetch(nullptr, "SCRYPT", nullptr), "SCRYPT");
  return kdf;
}

void check(int openssl_result, const char* what) {
  if (openssl_result == 1) return;
  ERR_clear_error();
  throw std::runtime_error(std::string("OpenSSL failure in ") + what);
}

}  // namespace coffer::crypto::ossl
