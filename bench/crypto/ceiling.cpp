#include "ceiling.hpp"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>
#include <stdexcept>
#include <vector>

namespace coffer::bench {
namespace {

void check(int result) {
  if (result != 1) throw std::runtime_error("OpenSSL call failed in the benchmark");
}

// One thread's reused contexts and buffers: a 1 MiB input and room for its output.
class EvpWork {
 public:
  EvpWork()
      : cipher_(EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr)),
        mac_(EVP_MAC_fetch(nullptr, "HMAC", nullptr)),
        md_(EVP_MD_fetch(nullptr, "SHA256", nullptr)),
        cipher_ctx_(EVP_CIPHER_CTX_new()),
        mac_ctx_(EVP_MAC_CTX_new(mac_)),
        md_ctx_(EVP_MD_CTX_new()),
        input_(kChunkBytes, 0x5a),
        output_(kChunkBytes + 16) {}
  ~EvpWork() {
    EVP_MD_CTX_free(md_ctx_);
    EVP_MAC_CTX_free(mac_ctx_);
    EVP_CIPHER_CTX_free(cipher_ctx_);
    EVP_MD_free(md_);
    EVP_MAC_free(mac_);
    EVP_CIPHER_free(cipher_);
  }
  EvpWork(const EvpWork&) = delete;
  EvpWork& operator=(const EvpWork&) = delete;

  void cbc(int encrypt) {
    int written = 0;
    int final_written = 0;
    check(EVP_CipherInit_ex2(cipher_ctx_, cipher_, key_, iv_, encrypt, nullptr));
    check(EVP_CIPHER_CTX_set_padding(cipher_ctx_, encrypt));
    check(EVP_CipherUpdate(cipher_ctx_, output_.data(), &written, input_.data(), static_cast<int>(kChunkBytes)));
    check(EVP_CipherFinal_ex(cipher_ctx_, output_.data() + written, &final_written));
  }

  // The MAC covers the ciphertext: the cipher's output after encrypting, its input before
  // decrypting, as in Fernet.
  void hmac(bool over_output) {
    const std::vector<unsigned char>& data = over_output ? output_ : input_;
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                                 OSSL_PARAM_construct_end()};
    unsigned char mac[32];
    std::size_t length = 0;
    check(EVP_MAC_init(mac_ctx_, key_, 16, params));
    check(EVP_MAC_update(mac_ctx_, data.data(), kChunkBytes));
    check(EVP_MAC_final(mac_ctx_, mac, &length, sizeof mac));
  }

  void sha256(bool over_output) {
    const std::vector<unsigned char>& data = over_output ? output_ : input_;
    unsigned char digest[32];
    check(EVP_DigestInit_ex2(md_ctx_, md_, nullptr));
    check(EVP_DigestUpdate(md_ctx_, data.data(), kChunkBytes));
    check(EVP_DigestFinal_ex(md_ctx_, digest, nullptr));
  }

 private:
  EVP_CIPHER* cipher_;
  EVP_MAC* mac_;
  EVP_MD* md_;
  EVP_CIPHER_CTX* cipher_ctx_;
  EVP_MAC_CTX* mac_ctx_;
  EVP_MD_CTX* md_ctx_;
  std::vector<unsigned char> input_;
  std::vector<unsigned char> output_;
  unsigned char key_[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  unsigned char iv_[16] = {};
};

template <class Step>
OperationFactory with_work(Step step) {
  return [step] {
    auto work = std::make_shared<EvpWork>();
    return Operation([work, step] { step(*work); });
  };
}

}  // namespace

OperationFactory cbc_encrypt_only() { return with_work([](EvpWork& w) { w.cbc(1); }); }
// Decrypting 1 MiB of arbitrary bytes fails the padding check at the end; padding is off for
// decryption so the measured work is the whole pass and nothing else.
OperationFactory cbc_decrypt_only() { return with_work([](EvpWork& w) { w.cbc(0); }); }
OperationFactory hmac_only() { return with_work([](EvpWork& w) { w.hmac(false); }); }
OperationFactory sha256_only() { return with_work([](EvpWork& w) { w.sha256(false); }); }
OperationFactory cbc_encrypt_then_hmac() {
  return with_work([](EvpWork& w) {
    w.cbc(1);
    w.hmac(true);
  });
}
OperationFactory hmac_then_cbc_decrypt() {
  return with_work([](EvpWork& w) {
    w.hmac(false);
    w.cbc(0);
  });
}
OperationFactory cbc_encrypt_hmac_sha256() {
  return with_work([](EvpWork& w) {
    w.cbc(1);
    w.hmac(true);
    w.sha256(true);
  });
}
}  // namespace coffer::bench
