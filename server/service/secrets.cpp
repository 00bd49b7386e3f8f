#include "server/service/secrets.hpp"

#include "crypto/encoding.hpp"
#include "crypto/hash.hpp"
#include "crypto/random.hpp"

namespace coffer::server::service {

std::string new_session_token() { return crypto::hex_encode(crypto::random_bytes(32)); }

std::string new_session_id() { return crypto::hex_encode(crypto::random_bytes(16)); }

std::string new_invite_code() {
  const std::string hex = crypto::hex_encode(crypto::random_bytes(16));
  std::string grouped;
  for (std::size_t i = 0; i < hex.size(); i += 4) grouped += (i == 0 ? "" : "-") + hex.substr(i, 4);
  return grouped;
}

std::string new_server_secret() { return crypto::hex_encode(crypto::random_bytes(32)); }

std::string secret_hash(std::string_view secret) {
  const auto digest = crypto::sha256(as_bytes(secret));
  return crypto::hex_encode(ByteView(digest.data(), digest.size()));
}

std::string fake_salt(std::string_view server_secret_hex, std::string_view user_name) {
  const std::string message = "coffer/v1/fake-salt/" + std::string(user_name);
  const auto mac = crypto::hmac_sha256(as_bytes(server_secret_hex), as_bytes(message));
  return crypto::base64url_encode(ByteView(mac.data(), 16));
}

}  // namespace coffer::server::service
