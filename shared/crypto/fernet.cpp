#include "crypto/fernet.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <limits>
#include <type_traits>

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/openssl_util.hpp"
#include "crypto/random.hpp"

namespace coffer::crypto {
namespace {

constexpr std::size_t kBlock = 16;
constexpr std::size_t kHeaderSize = 1 + 8 + 16;  // version, timestamp, IV
constexpr std::size_t kMacSize = 32;
constexpr std::uint64_t kMaxClockSkew = 60;
// EVP_*Update take an int length; a multiple of the block size keeps each piece's output
// exactly as long as its input.
constexpr std::size_t kMaxPiece = std::size_t{1} << 30;

struct TokenParts {
  std::uint64_t timestamp = 0;
  ByteView iv;
  ByteView ciphertext;
  ByteView signed_part;  // everything the MAC covers: header and ciphertext
  ByteView mac;
};

Error invalid(const char* defect) {
  return make_error(Errc::invalid_token, std::string("invalid Fernet token: ") + defect);
}

void put_big_endian(std::uint8_t* out, std::uint64_t value) {
  for (int i = 7; i >= 0; --i, value >>= 8) out[i] = static_cast<std::uint8_t>(value & 0xff);
}

std::uint64_t get_big_endian(const std::uint8_t* in) {
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value = (value << 8) | in[i];
  return value;
}

// One AES-128-CBC pass without OpenSSL's padding (Fernet's PKCS7 is added and checked here),
// so each update's output is exactly as long as its input.
class CbcPass {
 public:
  CbcPass(const FernetKey& key, ByteView iv, int encrypt) : ctx_(EVP_CIPHER_CTX_new()) {
    if (!ctx_) throw std::bad_alloc();
    ossl::check(EVP_CipherInit_ex2(ctx_.get(), ossl::aes_128_cbc(), key.encryption_key().data(), iv.data(), encrypt,
                                   nullptr),
                "AES-128-CBC init");
    ossl::check(EVP_CIPHER_CTX_set_padding(ctx_.get(), 0), "AES-128-CBC padding");
  }

  void update(const std::uint8_t* in, std::size_t size, std::uint8_t* out) {
    for (std::size_t done = 0; done < size;) {
      const std::size_t piece = std::min(size - done, kMaxPiece);
      int written = 0;
      ossl::check(EVP_CipherUpdate(ctx_.get(), out + done, &written, in + done, static_cast<int>(piece)),
                  "AES-128-CBC");
      done += piece;
    }
  }

 private:
  ossl::CipherCtx ctx_;
};

Result<TokenParts> parse_token(ByteView token) {
  if (token.size() < kFernetMinRawSize) return invalid("too short");
  if (token[0] != kFernetVersion) return invalid("unknown version byte");
  const std::size_t ciphertext_size = token.size() - kHeaderSize - kMacSize;
  if (ciphertext_size % kBlock != 0) return invalid("ciphertext is not a whole number of AES blocks");
  TokenParts parts;
  parts.timestamp = get_big_endian(token.data() + 1);
  parts.iv = token.subspan(9, 16);
  parts.ciphertext = token.subspan(kHeaderSize, ciphertext_size);
  parts.signed_part = token.first(kHeaderSize + ciphertext_size);
  parts.mac = token.last(kMacSize);
  return parts;
}

// Python's cryptography applies the same rules: a token is still valid at exactly
// timestamp + ttl, and a future timestamp is checked only when a TTL is.
Status check_time(std::uint64_t timestamp, const DecryptOptions& options) {
  if (!options.ttl_seconds) return {};
  const std::uint64_t now = options.clock();
  if (now > timestamp && now - timestamp > *options.ttl_seconds) return invalid("expired (older than the TTL)");
  if (timestamp > now && timestamp - now > kMaxClockSkew) return invalid("timestamp is more than 60 s in the future");
  return {};
}

// The plaintext buffer, sized to the ciphertext; AES then writes every byte of it.
template <class Plaintext>
Plaintext sized_plaintext(std::size_t size) {
  if constexpr (std::is_same_v<Plaintext, ChunkBytes>) return ChunkBytes::uninitialized(size);
  else return Plaintext(size);
}

// The MAC is checked before anything else touches the ciphertext, so a forged token never
// reaches the cipher and padding errors cannot become an oracle.
template <class Plaintext>
Result<Plaintext> decrypt_checked(const FernetKey& key, ByteView token, const DecryptOptions& options) {
  auto parts = parse_token(token);
  if (!parts) return std::move(parts).error();
  const Sha256Digest expected = hmac_sha256(key.signing_key(), parts->signed_part);
  if (!constant_time_equal(expected, parts->mac)) return invalid("MAC does not match (wrong key or altered token)");
  COFFER_TRY_STATUS(check_time(parts->timestamp, options));
  Plaintext plaintext = sized_plaintext<Plaintext>(parts->ciphertext.size());
  CbcPass(key, parts->iv, 0).update(parts->ciphertext.data(), parts->ciphertext.size(), plaintext.data());
  const std::size_t pad = plaintext.back();
  bool padding_ok = pad >= 1 && pad <= kBlock;
  for (std::size_t i = 0; padding_ok && i < pad; ++i) padding_ok = plaintext[plaintext.size() - 1 - i] == pad;
  if (!padding_ok) return invalid("bad padding");
  plaintext.resize(plaintext.size() - pad);
  return plaintext;
}

}  // namespace

std::uint64_t system_clock_seconds() {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count());
}

Bytes fernet_encrypt_raw_with_iv(const FernetKey& key, ByteView plaintext, std::uint64_t timestamp,
                                 const FernetIv& iv) {
  Bytes token(fernet_raw_size(plaintext.size()));
  token[0] = kFernetVersion;
  put_big_endian(token.data() + 1, timestamp);
  std::memcpy(token.data() + 9, iv.data(), iv.size());
  const std::size_t whole = plaintext.size() / kBlock * kBlock;
  const std::size_t ciphertext_size = token.size() - kHeaderSize - kMacSize;
  std::uint8_t* ciphertext = token.data() + kHeaderSize;
  // Only the last block needs a copy: the PKCS7 padding is appended there.
  std::uint8_t last[kBlock];
  const std::size_t tail = plaintext.size() - whole;
  if (tail != 0) std::memcpy(last, plaintext.data() + whole, tail);
  std::memset(last + tail, static_cast<int>(kBlock - tail), kBlock - tail);
  CbcPass cbc(key, iv, 1);
  cbc.update(plaintext.data(), whole, ciphertext);
  cbc.update(last, kBlock, ciphertext + whole);
  secure_zero(last, sizeof last);
  const Sha256Digest mac = hmac_sha256(key.signing_key(), ByteView(token.data(), kHeaderSize + ciphertext_size));
  std::memcpy(token.data() + kHeaderSize + ciphertext_size, mac.data(), mac.size());
  return token;
}

Bytes fernet_encrypt_raw(const FernetKey& key, ByteView plaintext, const Clock& clock) {
  FernetIv iv;
  fill_random(iv.data(), iv.size());
  return fernet_encrypt_raw_with_iv(key, plaintext, clock(), iv);
}

std::string fernet_encrypt(const FernetKey& key, ByteView plaintext, const Clock& clock) {
  return base64url_encode(fernet_encrypt_raw(key, plaintext, clock));
}

Result<Bytes> fernet_decrypt_raw(const FernetKey& key, ByteView token, const DecryptOptions& options) {
  return decrypt_checked<Bytes>(key, token, options);
}

Result<Bytes> fernet_decrypt(const FernetKey& key, std::string_view token, const DecryptOptions& options) {
  auto raw = base64url_decode(token);
  if (!raw) return invalid("not canonical padded base64url");
  return fernet_decrypt_raw(key, *raw, options);
}

Result<ChunkBytes> fernet_decrypt_large(const FernetKey& key, ByteView token) {
  return decrypt_checked<ChunkBytes>(key, token, {});
}

Result<SecureBytes> fernet_decrypt_secret(const FernetKey& key, ByteView raw_token) {
  return decrypt_checked<SecureBytes>(key, raw_token, {});
}

}  // namespace coffer::crypto
