#include "server/storage/local/sha256_stream.hpp"

#include <openssl/evp.h>

#include <array>
#include <stdexcept>

#include "crypto/encoding.hpp"

namespace coffer::server::storage {

struct Sha256Stream::Context {
  EVP_MD_CTX* md = nullptr;
  ~Context() { EVP_MD_CTX_free(md); }
};

Sha256Stream::Sha256Stream() : context_(std::make_unique<Context>()) {
  context_->md = EVP_MD_CTX_new();
  if (context_->md == nullptr || EVP_DigestInit_ex(context_->md, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 is unavailable");
  }
}

Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::update(std::string_view data) {
  if (EVP_DigestUpdate(context_->md, data.data(), data.size()) != 1) throw std::runtime_error("SHA-256 update failed");
}

std::string Sha256Stream::hex_digest() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context_->md, digest.data(), &length) != 1) throw std::runtime_error("SHA-256 final failed");
  return crypto::hex_encode(ByteView(digest.data(), length));
}

std::string Sha256Stream::hex_of(std::string_view data) {
  Sha256Stream stream;
  stream.update(data);
  return stream.hex_digest();
}

}  // namespace coffer::server::storage
