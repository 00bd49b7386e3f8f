#include "server/http/byte_range.hpp"

#include <charconv>

namespace coffer::server::http {
namespace {

std::optional<std::uint64_t> number(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

RangeAnswer resolve_range(std::string_view header, std::uint64_t size, ByteRange& out) {
  out = ByteRange{0, size};
  if (header.empty()) return RangeAnswer::whole;
  constexpr std::string_view kPrefix = "bytes=";
  if (header.substr(0, kPrefix.size()) != kPrefix) return RangeAnswer::unsatisfiable;
  const std::string_view spec = header.substr(kPrefix.size());
  if (spec.find(',') != std::string_view::npos) return RangeAnswer::whole;
  const auto dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeAnswer::unsatisfiable;
  const auto first = spec.substr(0, dash);
  const auto last = spec.substr(dash + 1);
  if (first.empty()) {  // the last N bytes
    auto suffix = number(last);
    if (!suffix || *suffix == 0 || size == 0) return RangeAnswer::unsatisfiable;
    const std::uint64_t length = std::min(*suffix, size);
    out = ByteRange{size - length, length};
    return RangeAnswer::partial;
  }
  auto start = number(first);
  if (!start || *start >= size) return RangeAnswer::unsatisfiable;
  std::uint64_t end = size - 1;
  if (!last.empty()) {
    auto given = number(last);
    if (!given || *given < *start) return RangeAnswer::unsatisfiable;
    end = std::min(*given, size - 1);
  }
  out = ByteRange{*start, end - *start + 1};
  return RangeAnswer::partial;
}

}  // namespace coffer::server::http
