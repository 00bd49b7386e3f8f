#include "server/storage/records.hpp"

namespace coffer::server::storage {

const char* node_type_name(NodeType type) {
  switch (type) {
    case NodeType::file: return "file";
    case NodeType::folder: return "folder";
    case NodeType::symlink: return "symlink";
    case NodeType::special: return "special";
  }
  return "file";
}

std::optional<NodeType> node_type_from_name(std::string_view name) {
  if (name == "file") return NodeType::file;
  if (name == "folder") return NodeType::folder;
  if (name == "symlink") return NodeType::symlink;
  if (name == "special") return NodeType::special;
  return std::nullopt;
}

const char* access_name(Access access) {
  switch (access) {
    case Access::read: return "read";
    case Access::write: return "write";
    case Access::manage: return "manage";
  }
  return "read";
}

std::optional<Access> access_from_name(std::string_view name) {
  if (name == "read") return Access::read;
  if (name == "write") return Access::write;
  if (name == "manage") return Access::manage;
  return std::nullopt;
}

}  // namespace coffer::server::storage
