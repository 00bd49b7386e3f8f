#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "crypto/bytes.hpp"

// The server's data model as the client sees it (docs/api.md), free of JSON and HTTP, so the
// VFS and the upload queue can run against the real server or an in-memory one in unit tests.
namespace coffer::remote {

// special: a FIFO, socket or device node (attributes only, never content).
enum class NodeType { file, folder, symlink, special };

const char* node_type_name(NodeType type) noexcept;
std::optional<NodeType> node_type_from_name(std::string_view name) noexcept;

struct NodeInfo {
  std::string node_id;
  NodeType type = NodeType::file;
  std::string owner;
  Bytes attributes;  // sealed attribute record
  std::uint64_t attributes_revision = 0;
  std::uint64_t version = 0;  // 0: no content yet
  std::uint64_t size = 0;     // ciphertext bytes of the current version
  std::uint32_t nlink = 1;
  std::uint64_t folder_revision = 0;  // a folder's entry set (0 for other nodes)
};

struct EntryInfo {
  std::string parent_id;
  std::string name;  // Fernet token under the parent's key
  std::string name_tag;
  Bytes wrapped_key;
  NodeInfo node;
};

// A folder's sealed record (crypto/folder_record.hpp) and its revision, as the server holds them.
struct FolderState {
  std::uint64_t revision = 0;
  Bytes record;
};

struct EntryPage {
  std::vector<EntryInfo> entries;
  std::optional<std::string> next;  // name tag to continue after
  FolderState folder;               // when this page was read
};

// A folder's next record, sent with every change to its entries.
struct FolderUpdate {
  std::string node_id;
  std::uint64_t base_revision = 0;
  std::uint64_t revision = 0;
  Bytes record;
};

// A directory entry as written: the encrypted name, its tag and the sealed entry key (the node
// key bound to parent, node and tag; crypto/entry_seal.hpp).
struct SealedName {
  std::string parent_id;
  std::string name;
  std::string name_tag;
  Bytes wrapped_key;
};

struct CreateNode {
  std::string node_id;
  NodeType type = NodeType::file;
  SealedName entry;
  Bytes attributes;
  std::uint64_t attributes_revision = 1;
};

struct RemoveEntry {
  std::string parent_id;
  std::string name_tag;
  // A remove only (a move's source has none): the server removes the entry only while its
  // node's content version is this one, so a device that had not seen another's newer edit
  // cannot delete it.
  std::optional<std::uint64_t> expected_version;
};

enum class MoveMode { noreplace, replace, exchange };

struct MoveEntry {
  RemoveEntry from;
  SealedName to;
  MoveMode mode = MoveMode::noreplace;
  // Only for exchange: the target entry re-sealed for the source's folder.
  std::optional<SealedName> exchange;
};

struct AddLink {
  std::string node_id;
  SealedName entry;
};

struct SetAttributes {
  std::string node_id;
  Bytes attributes;
  std::uint64_t revision = 0;
  std::uint64_t base_revision = 0;
};

struct InlineBlob {
  std::string id;
  Bytes data;
};

struct CommitVersion {
  std::string node_id;
  std::uint64_t base_version = 0;
  std::uint64_t version = 0;
  Bytes manifest;
  std::vector<std::string> chunks;
  std::vector<InlineBlob> blobs;  // only through the batch route
};

struct VersionInfo {
  std::uint64_t version = 0;
  Bytes manifest;
  std::vector<std::string> chunks;
};

struct Usage {
  std::uint64_t used = 0;
  std::optional<std::uint64_t> quota;
  // How `used` splits (docs/api.md GET /v1/usage): each blob counted once, in the first of
  // current content, old versions, the trash; `other` is records, entries and uploads not
  // committed yet. Absent from a server that does not report the split.
  struct Split {
    std::uint64_t current = 0;
    std::uint64_t versions = 0;
    std::uint64_t trash = 0;
    std::uint64_t other = 0;
  };
  std::optional<Split> split;
};

// One entry of the change feed: what another device changed, named by id. Only a hint of what
// to read again: the server is not trusted, so nothing shown ever comes from it.
struct Change {
  std::uint64_t cursor = 0;
  std::string node_id;
  std::optional<std::string> parent_id;  // the folder whose entries changed (entry kinds only)
  std::string kind;  // created | entry_added | entry_removed | moved | attributes | version | trashed
  bool own = false;  // made by this session
};

struct ChangePage {
  std::vector<Change> changes;
  std::uint64_t cursor = 0;  // to ask for what follows
};

using BatchOp = std::variant<CreateNode, SetAttributes, CommitVersion, RemoveEntry, MoveEntry, AddLink>;

}  // namespace coffer::remote
