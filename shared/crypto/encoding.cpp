#include "crypto/encoding.hpp"

#include <array>

namespace coffer::crypto {
namespace {

constexpr char kBase64UrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr char kHexDigits[] = "0123456789abcdef";
constexpr std::uint8_t kInvalid = 0xff;

constexpr std::array<std::uint8_t, 256> make_base64url_table() {
  std::array<std::uint8_t, 256> table{};
  table.fill(kInvalid);
  for (std::uint8_t i = 0; i < 64; ++i) table[static_cast<unsigned char>(kBase64UrlAlphabet[i])] = i;
  return table;
}
constexpr auto kBase64UrlTable = make_base64url_table();

Error bad_base64(const char* defect) {
  return make_error(Errc::invalid_token, std::string("invalid base64url: ") + defect);
}

std::size_t padding_length(std::string_view text) {
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  return padding;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string base64url_encode(ByteView data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const std::uint32_t group = (std::uint32_t{data[i]} << 16) | (std::uint32_t{data[i + 1]} << 8) | data[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kBase64UrlAlphabet[(group >> shift) & 0x3f]);
  }
  const std::size_t rest = data.size() - i;
  if (rest == 0) return out;
  std::uint32_t group = std::uint32_t{data[i]} << 16;
  if (rest == 2) group |= std::uint32_t{data[i + 1]} << 8;
  out.push_back(kBase64UrlAlphabet[(group >> 18) & 0x3f]);
  out.push_back(kBase64UrlAlphabet[(group >> 12) & 0x3f]);
  out.push_back(rest == 2 ? kBase64UrlAlphabet[(group >> 6) & 0x3f] : '=');
  out.push_back('=');
  return out;
}

namespace {

// Strict in every way Fernet implementations may differ: the length must be a multiple of 4,
// '=' may only end the text, and the bits that padding leaves unused must be zero, so every
// byte string has exactly one accepted encoding.
template <class Container>
Result<Container> decode_base64url_into(std::string_view text) {
  if (text.size() % 4 != 0) return bad_base64("length is not a multiple of 4");
  const std::size_t symbols = text.size() - padding_length(text);
  Container out;
  out.reserve(text.size() / 4 * 3);
  std::uint32_t accumulator = 0;
  int bits = 0;
  for (std::size_t i = 0; i < symbols; ++i) {
    const std::uint8_t value = kBase64UrlTable[static_cast<unsigned char>(text[i])];
    if (value == kInvalid) return bad_base64(text[i] == '=' ? "misplaced padding" : "character outside the alphabet");
    accumulator = (accumulator << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(accumulator >> bits));
      accumulator &= (1u << bits) - 1;
    }
  }
  if (accumulator != 0) return bad_base64("non-zero bits after the last byte");
  return out;
}

}  // namespace

Result<Bytes> base64url_decode(std::string_view text) { return decode_base64url_into<Bytes>(text); }
Result<SecureBytes> base64url_decode_secret(std::string_view text) {
  return decode_base64url_into<SecureBytes>(text);
}

std::string hex_encode(ByteView data) {
  std::string out;
  out.reserve(data.size() * 2);
  for (std::uint8_t byte : data) {
    out.push_back(kHexDigits[byte >> 4]);
    out.push_back(kHexDigits[byte & 0x0f]);
  }
  return out;
}

Result<Bytes> hex_decode(std::string_view text) {
  if (text.size() % 2 != 0) return make_error(Errc::invalid_argument, "invalid hex: odd length");
  Bytes out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = hex_value(text[i]);
    const int low = hex_value(text[i + 1]);
    if (high < 0 || low < 0) return make_error(Errc::invalid_argument, "invalid hex: not a lowercase hex digit");
    out.push_back(static_cast<std::uint8_t>((high << 4) | low));
  }
  return out;
}

}  // namespace coffer::crypto
