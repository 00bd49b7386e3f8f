#include "crypto/kdf.hpp"

#include <openssl/core_names.h>
#include <openssl/params.h>

#include "crypto/hash.hpp"
#include "crypto/openssl_util.hpp"
#include "crypto/random.hpp"

namespace coffer::crypto {
namespace {

// Below 2^14 scrypt falls short of current guidance for interactive logins; above 2^22 (with
// r = 8, 4 GiB) a login would stall or exhaust memory, which a hostile server could use to
// push clients over.
constexpr std::uint64_t kMinN = 1u << 14;
constexpr std::uint64_t kMaxN = 1u << 22;
constexpr std::uint32_t kMaxR = 32;
constexpr std::uint32_t kMaxP = 16;
constexpr std::uint64_t kMaxMemory = std::uint64_t{1} << 30;
constexpr std::size_t kMinSaltSize = 16;
constexpr std::size_t kMaxSaltSize = 64;
constexpr std::size_t kSecretSize = 32;

Error bad_params(const char* defect) {
  return make_error(Errc::invalid_argument, std::string("KDF parameters: ") + defect);
}

// scrypt's working memory: 128 * r * n for the big array plus 128 * r * p for the blocks.
std::uint64_t scrypt_memory(const KdfParams& params) { return 128ull * params.r * (params.n + params.p); }

SecureBytes run_scrypt(std::string_view password, const KdfParams& params) {
  SecureBytes secret(kSecretSize);
  ossl::KdfCtx ctx(EVP_KDF_CTX_new(ossl::scrypt()));
  if (!ctx) throw std::bad_alloc();
  std::uint64_t n = params.n;
  std::uint32_t r = params.r;
  std::uint32_t p = params.p;
  std::uint64_t max_memory = scrypt_memory(params) + (1u << 20);
  const OSSL_PARAM ossl_params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<char*>(password.data()), password.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<std::uint8_t*>(params.salt.data()),
                                        params.salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &max_memory),
      OSSL_PARAM_construct_end()};
  ossl::check(EVP_KDF_derive(ctx.get(), secret.data(), secret.size(), ossl_params), "scrypt");
  return secret;
}

}  // namespace

KdfParams KdfParams::fresh() {
  KdfParams params;
  params.salt = random_bytes(kMinSaltSize);
  return params;
}

Status KdfParams::validate() const {
  if (algorithm != "scrypt") return bad_params("only scrypt is supported");
  if (n < kMinN || n > kMaxN || (n & (n - 1)) != 0) return bad_params("n must be a power of two from 2^14 to 2^22");
  if (r < 1 || r > kMaxR) return bad_params("r must be from 1 to 32");
  if (p < 1 || p > kMaxP) return bad_params("p must be from 1 to 16");
  if (scrypt_memory(*this) > kMaxMemory) return bad_params("n and r together need more than 1 GiB");
  if (salt.size() < kMinSaltSize || salt.size() > kMaxSaltSize) return bad_params("the salt must be 16 to 64 bytes");
  return {};
}

Result<LoginKeys> derive_login_keys(std::string_view password, const KdfParams& params) {
  COFFER_TRY_STATUS(params.validate());
  const SecureBytes secret = run_scrypt(password, params);
  LoginKeys keys{hkdf_sha256(secret, "coffer/v1/auth", 32),
                 FernetKey::from_raw(hkdf_sha256(secret, "coffer/v1/kek", FernetKey::kSize)).value()};
  return keys;
}

Result<SecureBytes> password_secret(std::string_view password, const KdfParams& params) {
  COFFER_TRY_STATUS(params.validate());
  return run_scrypt(password, params);
}

}  // namespace coffer::crypto
