#include "protocol/json_reader.hpp"

#include "protocol/formats.hpp"

namespace coffer::protocol {

std::optional<std::string> TextRule::check(std::string_view text) const {
  switch (kind) {
    case Kind::hex:
      if (is_hex(text, min)) return std::nullopt;
      return std::to_string(min) + " lowercase hex characters";
    case Kind::base64url: {
      const auto size = base64url_decoded_size(text);
      if (size && *size >= min && *size <= max) return std::nullopt;
      if (min == max) return "base64url (with padding) of " + std::to_string(min) + " bytes";
      return "base64url (with padding) of " + std::to_string(min) + " to " + std::to_string(max) + " bytes";
    }
    case Kind::fernet_token:
      if (text.size() <= max && base64url_decoded_size(text)) return std::nullopt;
      return "a Fernet token (base64url) of at most " + std::to_string(max) + " characters";
    case Kind::user_name:
      if (is_user_name(text)) return std::nullopt;
      return "a user name (1 to 64 of a-z 0-9 . _ -, starting with a letter or digit)";
    case Kind::label:
      if (is_label(text, max)) return std::nullopt;
      return "1 to " + std::to_string(max) + " bytes of UTF-8 text without control characters";
    case Kind::any:
      if (text.size() >= min && text.size() <= max) return std::nullopt;
      return "text of at most " + std::to_string(max) + " bytes";
  }
  return "a valid value";
}

ObjectReader::ObjectReader(const Json& object, std::string path, UnknownFields unknown)
    : object_(object), path_(std::move(path)), unknown_(unknown) {
  if (!object_.is_object()) error_ = make_error(Errc::invalid_argument, (path_.empty() ? "body" : path_) + ": expected a JSON object");
}

std::string ObjectReader::path_of(std::string_view key) const {
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void ObjectReader::fail(std::string_view key, const std::string& message) {
  if (!error_) error_ = make_error(Errc::invalid_argument, path_of(key) + ": " + message);
}

const Json* ObjectReader::field(std::string_view key, bool required) {
  if (failed()) return nullptr;
  seen_.emplace(key);
  const auto it = object_.find(key);
  if (it == object_.end()) {
    if (required) fail(key, "missing");
    return nullptr;
  }
  return &*it;
}

void ObjectReader::text(std::string_view key, std::string& out, const TextRule& rule) {
  const Json* value = field(key, true);
  if (value == nullptr) return;
  if (!value->is_string()) return fail(key, "expected a string");
  const auto& text = value->get_ref<const std::string&>();
  if (auto expected = rule.check(text)) return fail(key, "expected " + *expected);
  out = text;
}

void ObjectReader::check_text(std::string_view key, const TextRule& rule) {
  const Json* value = field(key, true);
  if (value == nullptr) return;
  if (!value->is_string()) return fail(key, "expected a string");
  if (auto expected = rule.check(value->get_ref<const std::string&>())) return fail(key, "expected " + *expected);
}

void ObjectReader::optional_text(std::string_view key, std::optional<std::string>& out, const TextRule& rule) {
  const Json* value = field(key, false);
  if (value == nullptr || value->is_null()) return;
  std::string text_value;
  text(key, text_value, rule);
  if (!failed()) out = std::move(text_value);
}

void ObjectReader::number(std::string_view key, std::uint64_t& out, std::uint64_t max) {
  const Json* value = field(key, true);
  if (value == nullptr) return;
  // Parsed text gives unsigned numbers; values built in C++ from int are signed.
  const bool whole = value->is_number_unsigned() || (value->is_number_integer() && value->get<std::int64_t>() >= 0);
  if (!whole) return fail(key, "expected a whole number >= 0");
  const auto number = value->get<std::uint64_t>();
  if (number > max) return fail(key, "must be at most " + std::to_string(max));
  out = number;
}

void ObjectReader::number(std::string_view key, std::int64_t& out) {
  const Json* value = field(key, true);
  if (value == nullptr) return;
  if (!value->is_number_integer()) return fail(key, "expected a whole number");
  out = value->get<std::int64_t>();
}

void ObjectReader::optional_number(std::string_view key, std::optional<std::uint64_t>& out) {
  const Json* value = field(key, false);
  if (value == nullptr || value->is_null()) return;
  std::uint64_t number_value = 0;
  number(key, number_value);
  if (!failed()) out = number_value;
}

void ObjectReader::boolean(std::string_view key, bool& out) {
  const Json* value = field(key, true);
  if (value == nullptr) return;
  if (!value->is_boolean()) return fail(key, "expected true or false");
  out = value->get<bool>();
}

void ObjectReader::choice(std::string_view key, std::string& out, const std::vector<std::string_view>& choices) {
  const Json* value = field(key, true);
  if (value == nullptr) return;
  std::string names;
  for (auto choice_name : choices) {
    if (value->is_string() && value->get_ref<const std::string&>() == choice_name) {
      out = std::string(choice_name);
      return;
    }
    names += (names.empty() ? "" : ", ") + std::string(choice_name);
  }
  fail(key, "expected one of " + names);
}

void ObjectReader::optional_choice(std::string_view key, std::optional<std::string>& out,
                                   const std::vector<std::string_view>& choices) {
  const Json* value = field(key, false);
  if (value == nullptr || value->is_null()) return;
  std::string chosen;
  choice(key, chosen, choices);
  if (!failed()) out = std::move(chosen);
}

const Json* ObjectReader::array(std::string_view key, std::size_t max_items) {
  const Json* value = field(key, true);
  if (value == nullptr) return nullptr;
  if (!value->is_array()) {
    fail(key, "expected an array");
    return nullptr;
  }
  if (value->size() > max_items) {
    fail(key, "more than " + std::to_string(max_items) + " items");
    return nullptr;
  }
  return value;
}

void ObjectReader::text_array(std::string_view key, std::vector<std::string>& out, const TextRule& rule,
                              std::size_t max_items) {
  const Json* value = field(key, true);
  if (value == nullptr) return;
  if (!value->is_array()) return fail(key, "expected an array");
  if (value->size() > max_items) return fail(key, "more than " + std::to_string(max_items) + " items");
  out.clear();
  out.reserve(value->size());
  for (std::size_t i = 0; i < value->size(); ++i) {
    const auto& item = (*value)[i];
    const std::string item_key = std::string(key) + "[" + std::to_string(i) + "]";
    if (!item.is_string()) return fail(item_key, "expected a string");
    if (auto expected = rule.check(item.get_ref<const std::string&>())) return fail(item_key, "expected " + *expected);
    out.push_back(item.get<std::string>());
  }
}

void ObjectReader::optional_text_array(std::string_view key, std::vector<std::string>& out, const TextRule& rule,
                                       std::size_t max_items) {
  if (failed() || !object_.contains(key)) {
    seen_.emplace(key);
    return;
  }
  text_array(key, out, rule, max_items);
}

Status ObjectReader::finish() const {
  if (error_) return *error_;
  if (unknown_ == UnknownFields::ignore) return {};
  for (const auto& item : object_.items()) {
    if (!seen_.contains(item.key())) {
      return make_error(Errc::invalid_argument, path_of(item.key()) + ": unknown field");
    }
  }
  return {};
}

namespace {

// Thrown from the parser's callback to stop it at the first bound passed: nlohmann's parser
// has no other way to abort, and the callback sees every element as it is built.
struct JsonBoundPassed {
  std::string what;
};

}  // namespace

namespace {

// What building one element allocates, as glibc and libstdc++ lay nlohmann's values out: a
// heap std::string past 15 characters, a map node per object member, a value slot (with the
// vector's doubling) per array element.
std::size_t heap_text(std::size_t length) { return length > 15 ? length + 17 : 0; }
constexpr std::size_t kContainer = 64;
constexpr std::size_t kMemberNode = 96;
constexpr std::size_t kArraySlot = 32;
constexpr std::size_t kStringValue = 48;

}  // namespace

Result<Json> parse_json_text(std::string_view text, const JsonBounds& bounds) {
  const std::size_t max_cost = bounds.cost_floor + bounds.max_cost_factor * text.size();
  std::size_t cost = 0;
  std::vector<bool> in_array;  // per open container: whether it is an array
  auto element = [&](int depth, Json::parse_event_t event, Json& parsed) {
    using Event = Json::parse_event_t;
    const bool starts = event == Event::object_start || event == Event::array_start;
    // `depth` counts the containers open around the one starting: the top level is 0.
    if (starts && static_cast<std::size_t>(depth) >= bounds.max_depth) {
      throw JsonBoundPassed{"JSON nested deeper than " + std::to_string(bounds.max_depth) + " levels"};
    }
    const bool slot = (starts || event == Event::value) && !in_array.empty() && in_array.back();
    cost += slot ? kArraySlot : 0;
    if (starts) cost += kContainer;
    if (event == Event::key) cost += kMemberNode + heap_text(parsed.get_ref<const std::string&>().size());
    if (event == Event::value && parsed.is_string()) cost += kStringValue + heap_text(parsed.get_ref<const std::string&>().size());
    if (starts) in_array.push_back(event == Event::array_start);
    if ((event == Event::object_end || event == Event::array_end) && !in_array.empty()) in_array.pop_back();
    if (cost > max_cost) {
      throw JsonBoundPassed{"JSON that would take more than " + std::to_string(bounds.max_cost_factor) +
                            " times its " + std::to_string(text.size()) + " bytes to hold"};
    }
    return true;
  };
  try {
    Json value = Json::parse(text, element, false);
    if (value.is_discarded()) return make_error(Errc::invalid_argument, "malformed JSON");
    return value;
  } catch (const JsonBoundPassed& passed) {
    return make_error(Errc::invalid_argument, passed.what);
  }
}

Status expect_object(const Json& value, const std::string& path) {
  if (value.is_object()) return {};
  return make_error(Errc::invalid_argument, (path.empty() ? "body" : path) + ": expected a JSON object");
}

}  // namespace coffer::protocol
