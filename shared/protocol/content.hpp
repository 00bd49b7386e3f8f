#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/json_reader.hpp"

namespace coffer::protocol {

// PUT /v1/blobs/{blob_id}
struct BlobStored {
  std::string blob_id;
  std::uint64_t size = 0;
  static Result<BlobStored> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const BlobStored& value);

// POST /v1/nodes/{node_id}/versions
struct CommitRequest {
  std::uint64_t base_version = 0;
  std::uint64_t version = 0;  // base_version + 1
  std::string manifest;       // base64url sealed manifest
  std::vector<std::string> chunks;  // blob ids in file order
  // Optional, null or a whole number; kept from the first draft of the contract, which clients
  // send. The server does not use it.
  std::optional<std::uint64_t> plain_size_hint;
  static void read(ObjectReader& in, CommitRequest& out);
  Status check() const;
  static Result<CommitRequest> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const CommitRequest& value);

struct CommitResponse {
  std::uint64_t version = 0;
  static Result<CommitResponse> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const CommitResponse& value);

// GET /v1/nodes/{node_id}/versions
struct VersionSummary {
  std::uint64_t version = 0;
  std::uint64_t size = 0;  // ciphertext bytes of its chunks
  std::int64_t created_at = 0;
  std::uint64_t chunks = 0;
  std::optional<std::string> device;  // the committing session's device; none for old versions
  static Result<VersionSummary> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const VersionSummary& value);

struct VersionList {
  std::vector<VersionSummary> versions;
  static Result<VersionList> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const VersionList& value);

// GET /v1/nodes/{node_id}/versions/{version}
struct VersionDetail {
  std::uint64_t version = 0;
  std::string manifest;
  std::vector<std::string> chunks;
  std::uint64_t size = 0;
  std::int64_t created_at = 0;
  static Result<VersionDetail> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const VersionDetail& value);

// GET /v1/usage
struct Usage {
  std::uint64_t used = 0;
  std::optional<std::uint64_t> quota;
  // The blobs of `used`, each counted once in the first that lists it: the current version of a
  // node not in the trash, an older version of one, any version of a node in the trash; `other`
  // is the rest of `used` (records, entries, uploads no version lists yet).
  std::uint64_t current = 0;
  std::uint64_t versions = 0;
  std::uint64_t trash = 0;
  std::uint64_t other = 0;
  static Result<Usage> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const Usage& value);

const TextRule& blob_id_rule();
const TextRule& manifest_rule();

}  // namespace coffer::protocol
