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

// The base of an op recorded before ops named their base (a journal left by an older build):
// sent on whatever the server holds, as it would have been then.
inline constexpr std::uint64_t kUnknownBase = UINT64_MAX;

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
  std::uint64_t base_version = 0;  // the content version that size is of, as this device saw it
};

// Where a file was when its content was committed: the folder of the entry the mount knew it
// by (one of them, for a hard link) and the name there. A conflicted copy goes beside it.
struct EntryPlace {
  std::string parent_id;
  SecureBytes parent_key;
  std::string name;
};

struct CommitOp {
  std::string node_id;
  SecureBytes node_key;
  std::uint64_t size = 0;
  std::uint32_t chunk_size = 0;
  std::vector<std::optional<crypto::ChunkRef>> chunks;  // in file order; nullopt: a hole
  crypto::Attributes attributes;
  std::vector<remote::InlineBlob> inline_blobs;  // small files: no blob files
  // The version this device's edit started from: the one its content was loaded from, or the
  // last this device committed. The server holding another is a conflict (op_sender.hpp).
  std::uint64_t base_version = 0;
  EntryPlace place;
};

struct RemoveOp {
  remote::RemoveEntry entry;
  std::string node_id;
  SecureBytes parent_key;
  // The content version this device last saw of the node: a newer one on the server is another
  // device's edit, which the remove must not delete. With the name and the node key the entry
  // kept can be shown again.
  std::uint64_t seen_version = 0;
  std::string name;
  SecureBytes node_key;
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
