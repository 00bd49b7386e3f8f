#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace coffer::server::admin {

struct TlsPair {
  std::filesystem::path certificate;
  std::filesystem::path private_key;
  std::string fingerprint;  // SHA-256 of the DER certificate, "AB:CD:..." as openssl x509 -fingerprint
};

// Writes a self-signed certificate (ECDSA P-256, SHA-256) and its key (mode 0600) into `dir`
// as cert.pem and key.pem. `names` become subjectAltName entries (IP addresses or DNS names);
// the first is also the common name. Refuses to overwrite existing files.
Result<TlsPair> make_self_signed(const std::filesystem::path& dir, const std::vector<std::string>& names, int days);

}  // namespace coffer::server::admin
