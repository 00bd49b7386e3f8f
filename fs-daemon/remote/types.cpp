#include "remote/types.hpp"

namespace coffer::remote {

const char* node_type_name(NodeType type) noexcept {
  switch (type) {
    case NodeType::file: return "file";
    case NodeType::folder: return "folder";
    case NodeType::symlink: return "symlink";
  }
  return "file";
}

}  // namespace coffer::remote
