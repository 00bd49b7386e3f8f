#include "config/reader.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "config/units.hpp"

namespace coffer::config {

struct Reader::State {
  struct Mapping {
    YAML::Node node;     // a map, or a null node when the section is absent from the file
    std::string prefix;  // "limits." for the section "limits"
    std::set<std::string, std::less<>> known;
  };
  std::string source;
  std::vector<Mapping> mappings;
  std::optional<Error> first_error;
};

namespace {

std::string located(const std::string& source, const YAML::Mark& mark, const std::string& what) {
  if (mark.is_null()) return source + ": " + what;
  return source + ":" + std::to_string(mark.line + 1) + ": " + what;
}

}  // namespace

Result<Reader> Reader::open_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(Errc::not_found, path.string() + ": cannot open the configuration file");
  std::stringstream text;
  text << in.rdbuf();
  return parse(text.str(), path.string());
}

Result<Reader> Reader::parse(std::string_view text, std::string source_name) {
  auto state = std::make_shared<State>();
  state->source = std::move(source_name);
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return make_error(Errc::invalid_argument, located(state->source, e.mark, "YAML syntax: " + e.msg));
  }
  if (!root.IsNull() && !root.IsMap()) {
    return make_error(Errc::invalid_argument,
                      located(state->source, root.Mark(), "the file must be a mapping of option names to values"));
  }
  state->mappings.push_back({root, "", {}});
  return Reader(std::move(state), 0);
}

Reader Reader::empty() {
  auto state = std::make_shared<State>();
  state->source = "(defaults)";
  state->mappings.push_back({YAML::Node(), "", {}});
  return Reader(std::move(state), 0);
}

void Reader::fail(std::string_view key, const std::string& message) {
  if (state_->first_error) return;
  const auto& mapping = state_->mappings[mapping_];
  YAML::Mark mark = YAML::Mark::null_mark();
  if (mapping.node.IsMap() && mapping.node[std::string(key)]) mark = mapping.node[std::string(key)].Mark();
  state_->first_error =
      make_error(Errc::invalid_argument, located(state_->source, mark, mapping.prefix + std::string(key) + ": " + message));
}

// The scalar text at `key`, or nothing when the key is absent (or an error is recorded).
std::optional<std::string> Reader::scalar(std::string_view key) {
  auto& mapping = state_->mappings[mapping_];
  mapping.known.emplace(key);
  if (!mapping.node.IsMap()) return std::nullopt;
  const YAML::Node value = mapping.node[std::string(key)];
  if (!value) return std::nullopt;
  if (value.IsNull()) {
    fail(key, "has no value");
    return std::nullopt;
  }
  if (!value.IsScalar()) {
    fail(key, "expected a single value, not a list or a mapping");
    return std::nullopt;
  }
  return value.Scalar();
}

void Reader::read_with(std::string_view key, const std::function<Status(const std::string&)>& apply) {
  auto text = scalar(key);
  if (!text) return;
  if (auto status = apply(*text); !status) fail(key, status.error().message);
}

void Reader::read(std::string_view key, std::string& out) {
  read_with(key, [&](const std::string& text) -> Status {
    out = text;
    return {};
  });
}

void Reader::read(std::string_view key, bool& out) {
  read_with(key, [&](const std::string& text) -> Status {
    if (text == "true" || text == "yes" || text == "on") {
      out = true;
    } else if (text == "false" || text == "no" || text == "off") {
      out = false;
    } else {
      return make_error(Errc::invalid_argument, "'" + text + "' is not true or false");
    }
    return {};
  });
}

void Reader::read(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max) {
  read_with(key, [&](const std::string& text) -> Status {
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
      return make_error(Errc::invalid_argument, "'" + text + "' is not a whole number");
    }
    if (value < min || value > max) {
      return make_error(Errc::invalid_argument,
                        std::to_string(value) + " is outside " + std::to_string(min) + ".." + std::to_string(max));
    }
    out = value;
    return {};
  });
}

void Reader::read_size(std::string_view key, std::uint64_t& out, std::uint64_t min, std::uint64_t max) {
  read_with(key, [&](const std::string& text) -> Status {
    auto size = parse_size(text);
    if (!size) return size.error();
    if (*size < min || *size > max) {
      return make_error(Errc::invalid_argument, "'" + text + "' is outside " + format_size(min) + ".." + format_size(max));
    }
    out = *size;
    return {};
  });
}

void Reader::read_optional_size(std::string_view key, std::optional<std::uint64_t>& out) {
  auto& mapping = state_->mappings[mapping_];
  if (mapping.node.IsMap() && mapping.node[std::string(key)] && mapping.node[std::string(key)].IsNull()) {
    mapping.known.emplace(key);
    out.reset();
    return;
  }
  read_with(key, [&](const std::string& text) -> Status {
    if (text == "unlimited") {
      out.reset();
      return {};
    }
    auto size = parse_size(text);
    if (!size) return size.error();
    out = *size;
    return {};
  });
}

void Reader::read_duration(std::string_view key, std::chrono::seconds& out, std::chrono::seconds min,
                           std::chrono::seconds max) {
  read_with(key, [&](const std::string& text) -> Status {
    auto duration = parse_duration(text);
    if (!duration) return duration.error();
    if (*duration < min || *duration > max) {
      return make_error(Errc::invalid_argument,
                        "'" + text + "' is outside " + format_duration(min) + ".." + format_duration(max));
    }
    out = *duration;
    return {};
  });
}

Reader Reader::section(std::string_view key) {
  auto& parent = state_->mappings[mapping_];
  parent.known.emplace(key);
  YAML::Node child;
  if (parent.node.IsMap() && parent.node[std::string(key)]) {
    child = parent.node[std::string(key)];
    if (!child.IsMap() && !child.IsNull()) {
      fail(key, "expected a mapping of options");
      child = YAML::Node();
    }
  }
  std::string prefix = parent.prefix + std::string(key) + ".";
  state_->mappings.push_back({child, std::move(prefix), {}});
  return Reader(state_, state_->mappings.size() - 1);
}

Status Reader::finish() const {
  if (state_->first_error) return *state_->first_error;
  for (const auto& mapping : state_->mappings) {
    if (!mapping.node.IsMap()) continue;
    for (const auto& item : mapping.node) {
      const std::string name = item.first.Scalar();
      if (!mapping.known.contains(name)) {
        return make_error(Errc::invalid_argument,
                          located(state_->source, item.first.Mark(), mapping.prefix + name + ": unknown option"));
      }
    }
  }
  return {};
}

}  // namespace coffer::config
