#include "sync/suffixed_name.hpp"

namespace coffer::sync {

std::string_view utf8_prefix(std::string_view text, std::size_t size) {
  if (text.size() <= size) return text;
  while (size > 0 && (static_cast<unsigned char>(text[size]) & 0xC0) == 0x80) --size;
  return text.substr(0, size);
}

std::string_view extension_of(std::string_view name) {
  auto dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? std::string_view() : name.substr(dot);
}

std::string with_suffix(std::string_view name, std::string_view suffix) {
  suffix = utf8_prefix(suffix, kMaxNameBytes);
  std::string_view extension = extension_of(name);
  std::string_view stem = name.substr(0, name.size() - extension.size());
  const std::size_t room = kMaxNameBytes - suffix.size();
  if (extension.size() > room) extension = utf8_prefix(extension, room);
  stem = utf8_prefix(stem, room - extension.size());
  std::string out;
  out.reserve(stem.size() + suffix.size() + extension.size());
  out.append(stem).append(suffix).append(extension);
  return out;
}

}  // namespace coffer::sync
