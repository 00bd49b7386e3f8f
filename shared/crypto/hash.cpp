#include "crypto/hash.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include "crypto/openssl_util.hpp"

namespace coffer::crypto {
namespace {

// OSSL_PARAM wants non-const pointers even for inputs it only reads.
void* mutable_data(ByteView bytes) { return const_cast<std::uint8_t*>(bytes.data()); }
char* mutable_chars(std::string_view text) { return const_cast<char*>(text.data()); }
char kSha256Name[] = "SHA256";

}  // namespace

Sha256Digest sha256(ByteView data) {
  Sha256Digest digest{};
  ossl::MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) throw std::bad_alloc();
  ossl::check(EVP_DigestInit_ex2(ctx.get(), ossl::sha256(), nullptr), "SHA-256 init");
  ossl::check(EVP_DigestUpdate(ctx.get(), data.data(), data.size()), "SHA-256 update");
  ossl::check(EVP_DigestFinal_ex(ctx.get(), digest.data(), nullptr), "SHA-256 final");
  return digest;
}

Sha256Digest hmac_sha256(ByteView key, ByteView data) {
  Sha256Digest mac{};
  ossl::MacCtx ctx(EVP_MAC_CTX_new(ossl::hmac()));
  if (!ctx) throw std::bad_alloc();
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, kSha256Name, 0),
                               OSSL_PARAM_construct_end()};
  ossl::check(EVP_MAC_init(ctx.get(), key.data(), key.size(), params), "HMAC init");
  ossl::check(EVP_MAC_update(ctx.get(), data.data(), data.size()), "HMAC update");
  std::size_t length = 0;
  ossl::check(EVP_MAC_final(ctx.get(), mac.data(), &length, mac.size()), "HMAC final");
  return mac;
}

SecureBytes hkdf_sha256(ByteView input_key, std::string_view info, std::size_t length, ByteView salt) {
  SecureBytes out(length);
  ossl::KdfCtx ctx(EVP_KDF_CTX_new(ossl::hkdf()));
  if (!ctx) throw std::bad_alloc();
  OSSL_PARAM params[5];
  std::size_t count = 0;
  params[count++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, kSha256Name, 0);
  params[count++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, mutable_data(input_key), input_key.size());
  params[count++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, mutable_chars(info), info.size());
  if (!salt.empty()) {
    params[count++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, mutable_data(salt), salt.size());
  }
  params[count] = OSSL_PARAM_construct_end();
  ossl::check(EVP_KDF_derive(ctx.get(), out.data(), out.size(), params), "HKDF derive");
  return out;
}

bool constant_time_equal(ByteView a, ByteView b) noexcept {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace coffer::crypto
