#include "sync/record_meta.hpp"

#include <cstring>

namespace coffer::sync {
namespace {

Bytes encode_u64(std::uint64_t value) {
  Bytes out(8);
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(value >> (8 * i));
  return out;
}

std::optional<std::uint64_t> decode_u64(const crypto::Attributes& attributes, const char* key) {
  auto it = attributes.xattrs.find(key);
  if (it == attributes.xattrs.end() || it->second.size() != 8) return std::nullopt;
  std::uint64_t value = 0;
  for (int i = 0; i < 8; ++i) value |= static_cast<std::uint64_t>(it->second[i]) << (8 * i);
  return value;
}

}  // namespace

void set_content_meta(crypto::Attributes& attributes, const ContentMeta& meta) {
  attributes.xattrs[kSizeKey] = encode_u64(meta.size);
  attributes.xattrs[kVersionKey] = encode_u64(meta.version);
}

std::optional<ContentMeta> get_content_meta(const crypto::Attributes& attributes) {
  auto size = decode_u64(attributes, kSizeKey);
  auto version = decode_u64(attributes, kVersionKey);
  if (!size || !version) return std::nullopt;
  return ContentMeta{*size, *version};
}

void set_stored_bytes(crypto::Attributes& attributes, std::uint64_t bytes) {
  attributes.xattrs[kStoredKey] = encode_u64(bytes);
}

std::optional<std::uint64_t> get_stored_bytes(const crypto::Attributes& attributes) {
  return decode_u64(attributes, kStoredKey);
}

void strip_content_meta(crypto::Attributes& attributes) {
  attributes.xattrs.erase(kSizeKey);
  attributes.xattrs.erase(kVersionKey);
  attributes.xattrs.erase(kStoredKey);
}

bool is_reserved_xattr(std::string_view name) { return name == kSizeKey || name == kVersionKey || name == kStoredKey; }

}  // namespace coffer::sync
