#pragma once

#include <cstdint>
#include <optional>

#include "crypto/attributes.hpp"

namespace coffer::sync {

// A file's plaintext size lives in its attribute record, so listing a folder needs no manifest.
// It rides in reserved entries of the record's xattr map; their names have no namespace
// prefix ("user.", "security.", ...), so no xattr a program sets can collide with them, and
// the VFS never lists them. "coffer.version" says which content version the size describes.
struct ContentMeta {
  std::uint64_t size = 0;
  std::uint64_t version = 0;
};

inline constexpr const char* kSizeKey = "coffer.size";
inline constexpr const char* kVersionKey = "coffer.version";
// The plaintext bytes the stored chunks of that version hold (holes hold none), for st_blocks.
// The VFS puts it in the attributes it records (it knows the chunk map); the uploader adds
// size and version when it seals.
inline constexpr const char* kStoredKey = "coffer.stored";

void set_content_meta(crypto::Attributes& attributes, const ContentMeta& meta);
std::optional<ContentMeta> get_content_meta(const crypto::Attributes& attributes);
void set_stored_bytes(crypto::Attributes& attributes, std::uint64_t bytes);
std::optional<std::uint64_t> get_stored_bytes(const crypto::Attributes& attributes);
// Removes the reserved entries (for the VFS's view of the attributes).
void strip_content_meta(crypto::Attributes& attributes);
bool is_reserved_xattr(std::string_view name);

}  // namespace coffer::sync
