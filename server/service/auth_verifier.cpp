#include "server/service/auth_verifier.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <array>
#include <charconv>
#include <optional>
#include <vector>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"

namespace coffer::server::service {
namespace {

// auth_key is already the output of a slow scrypt on the client, with 256 bits of entropy, so
// this second scrypt only has to make a stolen database useless for logging in; 2^14 keeps a
// login near 50 ms of server time.
constexpr int kLog2N = 14;
constexpr std::uint32_t kR = 8;
constexpr std::uint32_t kP = 1;

Result<Bytes> scrypt(ByteView secret, ByteView salt, int log2n, std::uint32_t r, std::uint32_t p) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "SCRYPT", nullptr);
  EVP_KDF_CTX* ctx = kdf != nullptr ? EVP_KDF_CTX_new(kdf) : nullptr;
  EVP_KDF_free(kdf);
  if (ctx == nullptr) return make_error(Errc::internal, "scrypt is unavailable");
  std::uint64_t n = 1ull << log2n;
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, const_cast<std::uint8_t*>(secret.data()), secret.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, const_cast<std::uint8_t*>(salt.data()), salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_end()};
  Bytes out(32);
  const int ok = EVP_KDF_derive(ctx, out.data(), out.size(), params);
  EVP_KDF_CTX_free(ctx);
  if (ok != 1) return make_error(Errc::internal, "scrypt failed");
  return out;
}

struct ParsedVerifier {
  int log2n = 0;
  std::uint32_t r = 0;
  std::uint32_t p = 0;
  Bytes salt;
  Bytes hash;
};

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

template <class T>
bool parse_number(std::string_view text, T& out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc{} && end == text.data() + text.size();
}

std::optional<ParsedVerifier> parse_verifier(std::string_view verifier) {
  const auto parts = split(verifier, '$');
  if (parts.size() != 6 || parts[0] != "scrypt") return std::nullopt;
  ParsedVerifier parsed;
  if (!parse_number(parts[1], parsed.log2n) || !parse_number(parts[2], parsed.r) || !parse_number(parts[3], parsed.p)) {
    return std::nullopt;
  }
  if (parsed.log2n < 10 || parsed.log2n > 22) return std::nullopt;
  auto salt = crypto::base64url_decode(parts[4]);
  auto hash = crypto::base64url_decode(parts[5]);
  if (!salt || !hash) return std::nullopt;
  parsed.salt = std::move(*salt);
  parsed.hash = std::move(*hash);
  return parsed;
}

}  // namespace

Result<std::string> make_auth_verifier(std::string_view auth_key_b64) {
  auto key = crypto::base64url_decode(auth_key_b64);
  if (!key) return make_error(Errc::invalid_argument, "auth_key is not base64url");
  const Bytes salt = crypto::random_bytes(16);
  auto hash = scrypt(*key, salt, kLog2N, kR, kP);
  if (!hash) return hash.error();
  return "scrypt$" + std::to_string(kLog2N) + "$" + std::to_string(kR) + "$" + std::to_string(kP) + "$" +
         crypto::base64url_encode(salt) + "$" + crypto::base64url_encode(*hash);
}

bool check_auth_verifier(std::string_view verifier, std::string_view auth_key_b64) {
  auto parsed = parse_verifier(verifier);
  auto key = crypto::base64url_decode(auth_key_b64);
  if (!parsed || !key) return false;
  auto hash = scrypt(*key, parsed->salt, parsed->log2n, parsed->r, parsed->p);
  return hash && crypto::constant_time_equal(*hash, parsed->hash);
}

const std::string& decoy_auth_verifier() {
  static const std::string decoy = [] {
    const Bytes nothing(32, 0);
    return make_auth_verifier(crypto::base64url_encode(nothing)).value();
  }();
  return decoy;
}

}  // namespace coffer::server::service
