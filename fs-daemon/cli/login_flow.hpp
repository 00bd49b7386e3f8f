#pragma once

#include <optional>
#include <string>

#include "crypto/bytes.hpp"
#include "profile/client_config.hpp"
#include "profile/login_store.hpp"

namespace coffer::cli {

struct LoginRequest {
  std::string server;
  std::string user;
  std::string device;
  std::optional<std::string> accept_fingerprint;  // pin this certificate instead of the known one
};

// What a login found out, for the user.
struct LoginOutcome {
  profile::Login login;
  bool newly_pinned = false;
};

// Checks and normalizes a server URL ("https://host:port", no trailing slash). Plain HTTP is
// accepted with a warning on stderr unless the host is a loopback address.
Result<std::string> normalize_server_url(const std::string& url);

// The login of DESIGN.md section 2: the salt from the server, password -> auth_key and kek,
// a session, the key bundle opened with kek. HTTPS servers are pinned on first use; a known
// server's certificate must match the pin in `previous`.
Result<LoginOutcome> log_in(const LoginRequest& request, std::string_view password, const profile::ClientConfig& config,
                            const std::optional<profile::Login>& previous);

}  // namespace coffer::cli
