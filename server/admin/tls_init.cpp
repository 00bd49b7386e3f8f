#include "server/admin/tls_init.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <memory>

namespace coffer::server::admin {
namespace {

template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;

Error openssl_error(const char* what) { return make_error(Errc::internal, std::string("TLS init: ") + what + " failed"); }

std::string alt_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    in6_addr any{};
    const bool address = inet_pton(AF_INET, name.c_str(), &any) == 1 || inet_pton(AF_INET6, name.c_str(), &any) == 1;
    out += (out.empty() ? "" : ",") + std::string(address ? "IP:" : "DNS:") + name;
  }
  return out;
}

Status describe(X509* cert, const std::vector<std::string>& names, int days) {
  X509_set_version(cert, 2);
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return openssl_error("serial number");
  serial[0] &= 0x7F;
  BIGNUM* number = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert));
  BN_free(number);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), static_cast<long>(days) * 86400);
  X509_NAME* subject = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(names.front().c_str()),
                             -1, -1, 0);
  X509_set_issuer_name(cert, subject);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, alt_names(names).c_str());
  if (extension == nullptr) return openssl_error("subjectAltName");
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
  return {};
}

Status write_pem(const std::filesystem::path& path, mode_t mode, const std::function<int(FILE*)>& write) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return make_error(Errc::already_exists, "cannot create " + path.string() + " (does it exist already?)");
  FILE* file = fdopen(fd, "w");
  const bool ok = file != nullptr && write(file) == 1;
  if (file != nullptr) std::fclose(file);
  if (!ok) return make_error(Errc::io, "cannot write " + path.string());
  return {};
}

std::string fingerprint(X509* cert) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  X509_digest(cert, EVP_sha256(), digest, &length);
  std::string out;
  char hex[4];
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(hex, sizeof hex, "%02X", digest[i]);
    out += (i == 0 ? "" : ":") + std::string(hex);
  }
  return out;
}

}  // namespace

Result<TlsPair> make_self_signed(const std::filesystem::path& dir, const std::vector<std::string>& names, int days) {
  if (names.empty()) return make_error(Errc::invalid_argument, "at least one host name or address is needed");
  KeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return openssl_error("key generation");
  CertPtr cert(X509_new());
  if (!cert) return openssl_error("certificate allocation");
  COFFER_TRY_STATUS(describe(cert.get(), names, days));
  X509_set_pubkey(cert.get(), key.get());
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) return openssl_error("signing");
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return make_error(Errc::io, "cannot create " + dir.string() + ": " + error.message());
  TlsPair pair{dir / "cert.pem", dir / "key.pem", fingerprint(cert.get())};
  COFFER_TRY_STATUS(write_pem(pair.private_key, 0600, [&](FILE* file) {
    return PEM_write_PrivateKey(file, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  }));
  COFFER_TRY_STATUS(write_pem(pair.certificate, 0644, [&](FILE* file) { return PEM_write_X509(file, cert.get()); }));
  return pair;
}

}  // namespace coffer::server::admin
