#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace coffer::config {

// Reads one YAML configuration file into typed options, for any program. Each read_* call names
// an optional key of the current mapping and leaves `out` at its default when the key is
// absent. The first bad value, and at finish() the first key nobody read, becomes an error
// whose message names the file, the line and the dotted key:
//   "/etc/coffer/cofferd.yaml:12: limits.max_body: '12Q' is not a size (...)"
class Reader {
 public:
  // Fails on a missing file or a YAML syntax error (message with file and line).
  static Result<Reader> open_file(const std::filesystem::path& path);
  static Result<Reader> parse(std::string_view text, std::string source_name);
  // No file at all: every option keeps its default.
  static Reader empty();

  void read(std::string_view key, std::string& out);
  void read(std::string_view key, bool& out);
  void read(std::string_view key, std::int64_t& out, std::int64_t min, std::int64_t max);
  void read_size(std::string_view key, std::uint64_t& out, std::uint64_t min, std::uint64_t max);
  // `null` or "unlimited" leave no limit.
  void read_optional_size(std::string_view key, std::optional<std::uint64_t>& out);
  void read_duration(std::string_view key, std::chrono::seconds& out, std::chrono::seconds min,
                     std::chrono::seconds max);
  // For values with their own syntax: `apply` gets the scalar text and says what is wrong.
  void read_with(std::string_view key, const std::function<Status(const std::string&)>& apply);

  // A nested mapping; absent means all of its options keep their defaults.
  Reader section(std::string_view key);

  // The first error met so far, then the first unknown key anywhere in the file.
  Status finish() const;

  struct State;

 private:
  Reader(std::shared_ptr<State> state, std::size_t mapping) : state_(std::move(state)), mapping_(mapping) {}
  std::optional<std::string> scalar(std::string_view key);
  void fail(std::string_view key, const std::string& message);

  std::shared_ptr<State> state_;
  std::size_t mapping_ = 0;
};

}  // namespace coffer::config
