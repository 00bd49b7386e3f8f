#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace coffer::protocol {

// The textual formats of docs/api.md. Each check is exact: a value that passes is canonical
// (one spelling per value), so the server may compare and store the text as it came.

// Lowercase hex of exactly `length` characters (node ids 32, blob ids and name tags 64).
bool is_hex(std::string_view text, std::size_t length);

// Canonical base64url with '=' padding (as Fernet uses): the decoded size, or nothing when the
// text has a bad character, bad padding or non-zero unused bits.
std::optional<std::size_t> base64url_decoded_size(std::string_view text);

// A user name: 1..64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit.
bool is_user_name(std::string_view text);

// Free text meant for people (device names): 1..max_length bytes of valid UTF-8 without
// control characters.
bool is_label(std::string_view text, std::size_t max_length);

inline constexpr std::size_t kNodeIdLength = 32;
inline constexpr std::size_t kBlobIdLength = 64;
inline constexpr std::size_t kNameTagLength = 64;
inline constexpr std::size_t kSessionIdLength = 32;

}  // namespace coffer::protocol
