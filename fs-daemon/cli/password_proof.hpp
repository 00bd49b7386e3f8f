#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "client/api_client.hpp"
#include "crypto/kdf.hpp"
#include "crypto/keys.hpp"

namespace coffer::cli {

// The current password, proven on this computer: the keys derived from it with the account's
// KDF parameters (auth_key is the proof the server asks for) and the key bundle they open.
struct ProvenPassword {
  client::Account account;
  crypto::LoginKeys keys;
  crypto::UserKeyBundle bundle;
};

// Asks for the current password (the first line of `file`, else a no-echo prompt) and derives
// the keys as a login does. A password that does not open the key bundle fails here with "the
// current password is wrong", so a typo costs no failed attempt in the server's backoff.
ProvenPassword prove_password(std::string_view command, client::ApiClient& api, const std::string& prompt,
                              const std::optional<std::string>& file);

}  // namespace coffer::cli
