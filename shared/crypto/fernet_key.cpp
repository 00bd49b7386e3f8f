#include "crypto/encoding.hpp"
#include "crypto/fernet.hpp"
#include "crypto/random.hpp"

namespace coffer::crypto {

FernetKey FernetKey::generate() { return FernetKey(random_secret(kSize)); }

Result<FernetKey> FernetKey::from_raw(ByteView raw) {
  if (raw.size() != kSize) return make_error(Errc::invalid_argument, "a Fernet key must be exactly 32 bytes");
  return FernetKey(SecureBytes(raw.begin(), raw.end()));
}

Result<FernetKey> FernetKey::from_base64(std::string_view text) {
  auto decoded = base64url_decode_secret(text);
  if (!decoded || decoded->size() != kSize) {
    return make_error(Errc::invalid_argument, "a Fernet key must be 44 characters of base64url (32 bytes)");
  }
  return FernetKey(std::move(decoded).value());
}

std::string FernetKey::to_base64() const { return base64url_encode(raw()); }

}  // namespace coffer::crypto
