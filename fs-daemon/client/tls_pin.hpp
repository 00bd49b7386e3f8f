#pragma once

#include <mutex>
#include <string>
#include <string_view>

namespace coffer::client {

// Certificate pinning for a self-signed server: the chain is not verified against any CA;
// instead the leaf certificate's SHA-256 fingerprint must equal the one pinned at first login.
class TlsPin {
 public:
  TlsPin(std::string expected_fingerprint, bool trust_on_first_use)
      : expected_(std::move(expected_fingerprint)), trust_on_first_use_(trust_on_first_use) {}

  // Installs the check on an OpenSSL SSL_CTX (libcurl's CURLOPT_SSL_CTX_FUNCTION hands it out).
  void install(void* ssl_ctx);

  std::string observed() const;
  bool mismatched() const;

  // Called from the OpenSSL verify callback with the leaf certificate's fingerprint.
  bool accept(const std::string& fingerprint);

 private:
  const std::string expected_;
  const bool trust_on_first_use_;
  mutable std::mutex mutex_;  // guards observed_, mismatched_
  std::string observed_;
  bool mismatched_ = false;
};

// "AB:CD:..." (uppercase, colon-separated, as `openssl x509 -fingerprint -sha256` prints it).
std::string format_fingerprint(const unsigned char* digest, unsigned length);
// A fingerprint as a person may type it (any case, with or without colons) in that form.
std::string normalize_fingerprint(std::string_view text);

}  // namespace coffer::client
