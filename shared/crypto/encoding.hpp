#pragma once

#include <string>
#include <string_view>

#include "crypto/bytes.hpp"
#include "util/result.hpp"

namespace coffer::crypto {

std::string base64url_encode(ByteView data);  // with '=' padding, as Fernet uses
Result<Bytes> base64url_decode(std::string_view text);  // strict: rejects bad chars and bad padding
// The same, for text that encodes a key: the decoded bytes are wiped when freed.
Result<SecureBytes> base64url_decode_secret(std::string_view text);
std::string hex_encode(ByteView data);  // lowercase
Result<Bytes> hex_decode(std::string_view text);  // strict: even length, [0-9a-f] only

}  // namespace coffer::crypto
