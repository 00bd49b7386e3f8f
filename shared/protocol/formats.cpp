#include "protocol/formats.hpp"

#include <array>
#include <cstdint>

namespace coffer::protocol {
namespace {

// The 6-bit value of each base64url character, -1 for every other byte. A table, because batch
// bodies carry megabytes of base64 that are all checked here.
constexpr std::array<std::int8_t, 256> kBase64urlValues = [] {
  std::array<std::int8_t, 256> values{};
  values.fill(-1);
  for (int i = 0; i < 26; ++i) {
    values['A' + i] = static_cast<std::int8_t>(i);
    values['a' + i] = static_cast<std::int8_t>(26 + i);
  }
  for (int i = 0; i < 10; ++i) values['0' + i] = static_cast<std::int8_t>(52 + i);
  values['-'] = 62;
  values['_'] = 63;
  return values;
}();

int base64url_value(char c) { return kBase64urlValues[static_cast<unsigned char>(c)]; }

// Length in bytes of the UTF-8 sequence starting with `lead`, 0 when `lead` cannot start one.
std::size_t utf8_sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

}  // namespace

bool is_hex(std::string_view text, std::size_t length) {
  if (text.size() != length) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::optional<std::size_t> base64url_decoded_size(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  while (padding < 2 && text[text.size() - 1 - padding] == '=') ++padding;
  const std::string_view body = text.substr(0, text.size() - padding);
  std::int8_t any_invalid = 0;
  for (char c : body) any_invalid |= kBase64urlValues[static_cast<unsigned char>(c)];
  if (any_invalid < 0) return std::nullopt;
  // The last character before padding carries 2 (one '=') or 4 (two '=') unused bits.
  if (padding > 0) {
    const int unused_mask = padding == 1 ? 0x3 : 0xF;
    if ((base64url_value(body.back()) & unused_mask) != 0) return std::nullopt;
  }
  return text.size() / 4 * 3 - padding;
}

bool is_user_name(std::string_view text) {
  if (text.empty() || text.size() > 64) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(text.front())) return false;
  for (char c : text) {
    if (!alnum(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

bool is_label(std::string_view text, std::size_t max_length) {
  if (text.empty() || text.size() > max_length) return false;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x20 || lead == 0x7F) return false;
    const std::size_t length = utf8_sequence_length(lead);
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

}  // namespace coffer::protocol
