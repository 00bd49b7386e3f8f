#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/json_reader.hpp"

namespace coffer::protocol {

// One entry of the change feed (GET /v1/changes).
struct Change {
  std::uint64_t cursor = 0;
  std::string node_id;
  std::optional<std::string> parent_id;  // the folder whose entries changed, if any
  std::string kind;  // created | entry_added | entry_removed | moved | attributes | version | trashed | purged
  bool own = false;  // made by the caller's own session: a device skips what it did itself
  static Result<Change> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const Change& value);

struct ChangePage {
  std::vector<Change> changes;
  std::uint64_t cursor = 0;  // pass back as `cursor` to get what follows
  static Result<ChangePage> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const ChangePage& value);

const std::vector<std::string_view>& change_kinds();

}  // namespace coffer::protocol
