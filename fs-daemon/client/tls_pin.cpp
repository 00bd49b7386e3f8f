#include "client/tls_pin.hpp"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cctype>

#include "crypto/encoding.hpp"

namespace coffer::client {
namespace {

int app_data_index() {
  static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

// Replaces OpenSSL's chain verification: only the leaf fingerprint counts.
int verify_leaf(X509_STORE_CTX* store, void* arg) {
  auto* pin = static_cast<TlsPin*>(arg);
  X509* leaf = X509_STORE_CTX_get0_cert(store);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned length = 0;
  if (leaf == nullptr || X509_digest(leaf, EVP_sha256(), digest, &length) != 1) return 0;
  return pin->accept(format_fingerprint(digest, length)) ? 1 : 0;
}

}  // namespace

std::string format_fingerprint(const unsigned char* digest, unsigned length) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned i = 0; i < length; ++i) {
    if (i > 0) out.push_back(':');
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

std::string normalize_fingerprint(std::string_view text) {
  std::string hex;
  for (char c : text) {
    if (c != ':' && c != ' ') hex.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  auto digest = crypto::hex_decode(hex);
  if (!digest || digest->size() != 32) return std::string(text);  // not a fingerprint: the pin check refuses it
  return format_fingerprint(digest->data(), static_cast<unsigned>(digest->size()));
}

void TlsPin::install(void* ssl_ctx) {
  auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
  SSL_CTX_set_ex_data(ctx, app_data_index(), this);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_cert_verify_callback(ctx, verify_leaf, this);
}

bool TlsPin::accept(const std::string& fingerprint) {
  std::lock_guard lock(mutex_);
  observed_ = fingerprint;
  if (expected_.empty()) return trust_on_first_use_;
  mismatched_ = fingerprint != expected_;
  return !mismatched_;
}

std::string TlsPin::observed() const {
  std::lock_guard lock(mutex_);
  return observed_;
}

bool TlsPin::mismatched() const {
  std::lock_guard lock(mutex_);
  return mismatched_;
}

}  // namespace coffer::client
