#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocol/json_reader.hpp"

namespace coffer::protocol {

// A folder's new sealed record (docs/crypto.md, "Folder record"), sent in the same request as
// every change to the folder's set of entries: {"node_id", "base_revision", "revision",
// "record"} with revision = base_revision + 1. The server cannot open the record; it keeps
// the revisions in order and stores the record beside the entries (docs/api.md, "Folder
// records").
struct FolderUpdate {
  std::string node_id;
  std::uint64_t base_revision = 0;
  std::uint64_t revision = 0;
  std::string record;  // base64url
  static Result<FolderUpdate> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const FolderUpdate& value);

// Reads the "folders" array of a request: at most `max_items` updates, each well formed, with
// revision = base_revision + 1. check_distinct_folders then refuses a folder named twice.
void read_folder_updates(ObjectReader& in, std::vector<FolderUpdate>& out, std::size_t max_items);
Status check_distinct_folders(const std::vector<FolderUpdate>& updates);

// Takes the "folders" field (absent: none) out of a single namespace route's body (the rest is read as the
// route's own request type), so that the route's type stays the batch op's.
Result<std::vector<FolderUpdate>> take_folder_updates(Json& body);

// The current record of a folder, as entry pages carry it: {"revision", "record"}.
struct FolderState {
  std::uint64_t revision = 0;
  std::string record;  // base64url; empty only for a folder that never had one
  static Result<FolderState> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const FolderState& value);

const TextRule& folder_record_rule();

}  // namespace coffer::protocol
