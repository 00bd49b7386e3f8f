#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Names made from other names (conflicted copies, restored items, numbered duplicates, version
// files), each at most the 255 bytes a Linux name may take, cut only at a UTF-8 character's start.
namespace coffer::sync {

inline constexpr std::size_t kMaxNameBytes = 255;

// `text` cut to at most `size` bytes without splitting a UTF-8 character.
std::string_view utf8_prefix(std::string_view text, std::size_t size);

// What follows the last dot, with the dot, of a name that has one and does not start with it
// (`.bashrc` has none); "" otherwise.
std::string_view extension_of(std::string_view name);

// `name` with `suffix` before its extension: `report (2).odt`. When that passes 255 bytes the
// suffix is kept (cut to 255 itself), then the extension, and the stem is cut first.
std::string with_suffix(std::string_view name, std::string_view suffix);

}  // namespace coffer::sync
