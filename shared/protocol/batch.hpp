#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "protocol/content.hpp"
#include "protocol/json_reader.hpp"
#include "protocol/nodes.hpp"

namespace coffer::protocol {

// POST /v1/batch: many small operations in one request and one transaction.
struct BatchBlob {
  std::string id;    // 64 hex: SHA-256 of the decoded data
  std::string data;  // base64url of the blob bytes
};

struct BatchSetAttributes {
  std::string node_id;
  SetAttributesRequest request;
};

struct BatchCommit {
  std::string node_id;
  CommitRequest request;
  std::vector<BatchBlob> blobs;  // new chunks and other blobs, stored before the commit
};

struct BatchRemove {
  std::string parent_id;
  std::string name_tag;
  // Removes the entry only while its node's current content version is this one: a client
  // that had not seen a newer version must not delete another device's edit.
  std::optional<std::uint64_t> expected_version;
};

// The entry (from_parent_id, from_name_tag) moves as the move route's body says.
struct BatchMove {
  std::string from_parent_id;
  std::string from_name_tag;
  MoveRequest request;
};

// A new entry for the existing file node_id, as the links route's body says.
struct BatchLink {
  std::string node_id;
  LinkRequest request;
};

// {"op": "create" | "set_attributes" | "commit" | "remove" | "move" | "link", ...}
using BatchOp = std::variant<CreateNodeRequest, BatchSetAttributes, BatchCommit, BatchRemove, BatchMove, BatchLink>;

// Reads one op; blob data is moved out of `value` rather than copied.
Result<BatchOp> parse_batch_op(Json& value, const std::string& path);
void to_json(Json& out, const BatchOp& value);
const char* batch_op_name(const BatchOp& op);

struct BatchRequest {
  std::vector<BatchOp> ops;
  std::vector<FolderUpdate> folders;  // one per folder whose entries the ops change
};
void to_json(Json& out, const BatchRequest& value);

// The server's reading: the envelope must be well formed (an object with "ops", an array of
// at most kMaxBatchOps, and "folders"), and each op is parsed on its own, so one malformed op
// fails alone.
struct ParsedBatch {
  std::vector<Result<BatchOp>> ops;
  std::vector<FolderUpdate> folders;
  static Result<ParsedBatch> parse(Json value);
};

struct BatchResult {
  int status = 0;               // the HTTP status the op would have had as its own request
  Json body = Json(nullptr);    // that request's response body (null for 204)
};

struct BatchResponse {
  std::vector<BatchResult> results;
  static Result<BatchResponse> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const BatchResponse& value);

}  // namespace coffer::protocol
