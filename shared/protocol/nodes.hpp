#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/folders.hpp"
#include "protocol/json_reader.hpp"

namespace coffer::protocol {

// NODE: a file, folder, symlink or special file (FIFO, socket, device node): an inode.
struct Node {
  std::string node_id;
  std::string type;  // "file" | "folder" | "symlink" | "special"
  std::string owner;
  std::string attributes;  // base64url sealed attribute record
  std::uint64_t attributes_revision = 0;
  std::uint64_t version = 0;  // 0: no content yet
  std::uint64_t size = 0;     // ciphertext bytes of the current version
  std::uint64_t nlink = 0;
  std::uint64_t folder_revision = 0;  // folders: the revision of their entry set; 0 otherwise
  static Result<Node> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const Node& value);

// ENTRY: a node placed in a folder under an encrypted name.
struct Entry {
  std::string parent_id;
  std::string name;         // Fernet token under the parent's key
  std::string name_tag;     // 64 hex
  std::string wrapped_key;  // base64url: the node key under the parent's key
  Node node;
  static Result<Entry> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const Entry& value);

// POST /v1/nodes (and the batch op "create")
struct CreateNodeRequest {
  std::string node_id;
  std::string type;
  std::string parent_id;
  std::string name;
  std::string name_tag;
  std::string wrapped_key;
  std::string attributes;
  std::uint64_t attributes_revision = 0;
  static void read(ObjectReader& in, CreateNodeRequest& out);
  static Result<CreateNodeRequest> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const CreateNodeRequest& value);

// GET /v1/nodes/{node_id}/entries
struct EntryPage {
  std::vector<Entry> entries;
  std::optional<std::string> next;  // the name tag to pass as `after`, none at the end
  FolderState folder;                // the folder's record when this page was read
  static Result<EntryPage> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const EntryPage& value);

// GET /v1/nodes/{node_id}/entries?at=UNIX: the folder as it was, from the server's entry
// history. "folder" is null: there is no sealed record of a past state to check against.
struct PastEntryPage {
  std::vector<Entry> entries;
  std::optional<std::string> next;
  static Result<PastEntryPage> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const PastEntryPage& value);

// POST /v1/nodes/{node_id}/links
struct LinkRequest {
  std::string parent_id;
  std::string name;
  std::string name_tag;
  std::string wrapped_key;
  static void read(ObjectReader& in, LinkRequest& out);
  static Result<LinkRequest> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const LinkRequest& value);

// POST /v1/nodes/{parent_id}/entries/{name_tag}/move
struct MoveRequest {
  std::string new_parent_id;
  std::string name;
  std::string name_tag;
  std::string wrapped_key;
  std::string mode = "noreplace";  // "noreplace" | "replace" | "exchange"
  // Only with "exchange": the target entry as it will read in the source folder.
  std::optional<std::string> exchange_name;
  std::optional<std::string> exchange_name_tag;
  std::optional<std::string> exchange_wrapped_key;
  static void read(ObjectReader& in, MoveRequest& out);
  Status check() const;
  static Result<MoveRequest> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const MoveRequest& value);

// DELETE /v1/nodes/{parent_id}/entries/{name_tag}: a body with nothing but "folders".
struct RemoveRequest {
  static Result<RemoveRequest> from_json(const Json& value, const std::string& path = "");
};

// PUT /v1/nodes/{node_id}/attributes (and the batch op "set_attributes" with "node_id")
struct SetAttributesRequest {
  std::string attributes;
  std::uint64_t revision = 0;
  std::uint64_t base_revision = 0;
  static void read(ObjectReader& in, SetAttributesRequest& out);
  Status check() const;  // revision > base_revision
  static Result<SetAttributesRequest> from_json(const Json& value, const std::string& path = "");
};
void to_json(Json& out, const SetAttributesRequest& value);

// Field rules shared by the node routes and the batch ops.
const TextRule& node_id_rule();
const TextRule& name_rule();
const TextRule& name_tag_rule();
const TextRule& wrapped_key_rule();
const TextRule& attributes_rule();
const std::vector<std::string_view>& node_types();

}  // namespace coffer::protocol
