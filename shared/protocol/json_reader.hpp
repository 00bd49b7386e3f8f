#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace coffer::protocol {

using Json = nlohmann::json;

// What a text field must look like; see formats.hpp.
struct TextRule {
  enum class Kind { hex, base64url, fernet_token, user_name, label, any };
  Kind kind = Kind::any;
  std::size_t min = 0;  // decoded bytes for base64url, characters otherwise
  std::size_t max = 0;

  static TextRule hex(std::size_t length) { return {Kind::hex, length, length}; }
  static TextRule base64url(std::size_t min_bytes, std::size_t max_bytes) { return {Kind::base64url, min_bytes, max_bytes}; }
  static TextRule fernet_token(std::size_t max_chars) { return {Kind::fernet_token, 1, max_chars}; }
  static TextRule user_name() { return {Kind::user_name, 1, 64}; }
  static TextRule label(std::size_t max_chars) { return {Kind::label, 1, max_chars}; }
  static TextRule any(std::size_t max_chars) { return {Kind::any, 0, max_chars}; }

  // Nothing when `text` passes, otherwise what it should have been ("32 lowercase hex characters").
  std::optional<std::string> check(std::string_view text) const;
};

enum class UnknownFields { refuse, ignore };

// Reads one JSON object field by field into a struct. The first problem is kept with its
// path ("ops[3].node_id: expected 32 lowercase hex characters") and every later read is a
// no-op; finish() also refuses fields nobody read, for requests (UnknownFields::refuse).
// Responses are read with UnknownFields::ignore, so a newer server can add fields.
class ObjectReader {
 public:
  ObjectReader(const Json& object, std::string path, UnknownFields unknown);

  void text(std::string_view key, std::string& out, const TextRule& rule);
  // Checks a text field without copying it (the caller moves it out after finish()).
  void check_text(std::string_view key, const TextRule& rule);
  void optional_text(std::string_view key, std::optional<std::string>& out, const TextRule& rule);
  void number(std::string_view key, std::uint64_t& out, std::uint64_t max = UINT64_MAX >> 11);
  void number(std::string_view key, std::int64_t& out);
  void optional_number(std::string_view key, std::optional<std::uint64_t>& out);
  void boolean(std::string_view key, bool& out);
  // One of `choices`, e.g. "file" | "folder" | "symlink".
  void choice(std::string_view key, std::string& out, const std::vector<std::string_view>& choices);
  void optional_choice(std::string_view key, std::optional<std::string>& out,
                       const std::vector<std::string_view>& choices);
  void text_array(std::string_view key, std::vector<std::string>& out, const TextRule& rule, std::size_t max_items);
  void optional_text_array(std::string_view key, std::vector<std::string>& out, const TextRule& rule,
                           std::size_t max_items);

  // An array of at most `max_items` values, left for the caller to read; null on error.
  const Json* array(std::string_view key, std::size_t max_items);

  // A nested value read by `parse(json, path) -> Result<T>`; `optional` also takes null.
  template <class T, class Parse>
  void object(std::string_view key, T& out, Parse parse);
  template <class T, class Parse>
  void optional_object(std::string_view key, std::optional<T>& out, Parse parse);
  template <class T, class Parse>
  void object_array(std::string_view key, std::vector<T>& out, std::size_t max_items, Parse parse);

  Status finish() const;
  const std::string& path() const { return path_; }
  std::string path_of(std::string_view key) const;

 private:
  const Json* field(std::string_view key, bool required);
  void fail(std::string_view key, const std::string& message);
  bool failed() const { return error_.has_value(); }

  const Json& object_;
  std::string path_;
  UnknownFields unknown_;
  std::set<std::string, std::less<>> seen_;
  std::optional<Error> error_;
};

// How much a JSON text may make the parser build. nlohmann's values are large (an object
// member is a map node of about 96 bytes, however short its key), so the parser estimates what
// each element allocates as it goes and stops at a multiple of the text's size: ordinary
// requests cost 1.3 (long strings) to 6.5 (small objects with short values) times their text,
// and no shape can cost more than max_cost_factor times it plus a floor.
struct JsonBounds {
  std::size_t max_depth = 64;
  std::size_t max_cost_factor = 8;
  std::size_t cost_floor = 64 << 10;
};

// Parses JSON text within `bounds`; malformed text, or text past the bounds, is
// Errc::invalid_argument ("malformed JSON", "JSON nested deeper than 64 levels", ...). Both
// sides parse what the other sent with it: cofferd request bodies, the client server answers.
Result<Json> parse_json_text(std::string_view text, const JsonBounds& bounds = {});
// A value that must be an object, or an error naming `path`.
Status expect_object(const Json& value, const std::string& path);

template <class T, class Parse>
void ObjectReader::object(std::string_view key, T& out, Parse parse) {
  const Json* value = field(key, true);
  if (value == nullptr) return;
  auto parsed = parse(*value, path_of(key));
  if (!parsed) {
    if (!error_) error_ = parsed.error();
    return;
  }
  out = std::move(*parsed);
}

template <class T, class Parse>
void ObjectReader::optional_object(std::string_view key, std::optional<T>& out, Parse parse) {
  const Json* value = field(key, false);
  if (value == nullptr || value->is_null()) return;
  auto parsed = parse(*value, path_of(key));
  if (!parsed) {
    if (!error_) error_ = parsed.error();
    return;
  }
  out = std::move(*parsed);
}

template <class T, class Parse>
void ObjectReader::object_array(std::string_view key, std::vector<T>& out, std::size_t max_items, Parse parse) {
  const Json* value = field(key, true);
  if (value == nullptr) return;
  if (!value->is_array()) return fail(key, "expected an array");
  if (value->size() > max_items) return fail(key, "more than " + std::to_string(max_items) + " items");
  out.clear();
  out.reserve(value->size());
  for (std::size_t i = 0; i < value->size(); ++i) {
    auto parsed = parse((*value)[i], path_of(key) + "[" + std::to_string(i) + "]");
    if (!parsed) {
      if (!error_) error_ = parsed.error();
      return;
    }
    out.push_back(std::move(*parsed));
  }
}

}  // namespace coffer::protocol
