#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "crypto/attributes.hpp"
#include "crypto/bytes.hpp"
#include "crypto/chunk.hpp"
#include "remote/types.hpp"

// The operations a mount records in its journal and replays to the server in order. They hold
// what the server needs and what the uploader needs to seal records at upload time (the node
// key, the keys of the folders whose entries change, plaintext attributes and sizes); each
// record is a Fernet token under the profile's journal key, so the journal on disk is
// ciphertext only.
namespace coffer::sync {

struct CreateOp {
  std::string node_id;
  remote::NodeType type = remote::NodeType::file;
  remote::SealedName entry;
  SecureBytes node_key;
  crypto::Attributes attributes;
  SecureBytes parent_key;  // seals the parent's folder record
};

struct SetAttributesOp {
  std::string node_id;
  SecureBytes node_key;
  crypto::Attributes attributes;
  std::uint64_t size = 0;  // plaintext size of the content the record describes
};

struct CommitOp {
  std::string node_id;
  SecureBytes node_key;
  std::uint64_t size = 0;
  std::uint32_t chunk_size = 0;
  std::vector<std::optional<crypto::ChunkRef>> chunks;  // in file order; nullopt: a hole
  crypto::Attributes attributes;
  std::vector<remote::InlineBlob> inline_blobs;  // small files: no blob files
};

struct RemoveOp {
  remote::RemoveEntry entry;
  std::string node_id;
  SecureBytes parent_key;
};

struct MoveOp {
  remote::MoveEntry move;
  SecureBytes from_key;  // the keys of the folder left and the folder entered
  SecureBytes to_key;
};

struct LinkOp {
  remote::AddLink link;
  SecureBytes parent_key;
};

using OpBody = std::variant<CreateOp, SetAttributesOp, CommitOp, RemoveOp, MoveOp, LinkOp>;

struct JournalOp {
  std::uint64_t seq = 0;
  OpBody body;
};

// A key an op carries (node or folder key) as the Fernet key it is.
Result<crypto::FernetKey> op_key(const SecureBytes& raw);

// The node an op is about (for MoveOp and RemoveOp: the entry's parent).
std::string op_node_id(const OpBody& body);
const char* op_name(const OpBody& body);
// Blob files the op needs uploaded first.
std::vector<std::string> op_blob_files(const OpBody& body);

std::string encode_op(const JournalOp& op);
Result<JournalOp> decode_op(std::string_view text);

}  // namespace coffer::sync
