#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "vfs/node.hpp"

namespace coffer::vfs {

inline constexpr std::uint64_t kRootIno = 1;

// The kernel's inode numbers: an id-to-entry table, never raw pointers. A slot's number is
// reused only after the kernel forgot it, with a new generation so (ino, generation) pairs
// stay unique. Guarded by the Vfs tree mutex (callers hold it).
class InodeTable {
 public:
  struct Entry {
    std::uint64_t ino = 0;
    std::uint64_t generation = 0;
  };

  // The root is ino 1 and is never forgotten.
  explicit InodeTable(std::shared_ptr<Node> root);

  // Counts one more kernel reference (a lookup reply) and returns the node's number.
  Entry reference(const std::shared_ptr<Node>& node);
  std::shared_ptr<Node> get(std::uint64_t ino) const;
  // Drops `count` kernel references; the slot is freed at zero.
  void forget(std::uint64_t ino, std::uint64_t count);
  std::size_t size() const { return slots_.size() - free_.size() - 1; }

 private:
  struct Slot {
    std::shared_ptr<Node> node;
    std::uint64_t lookups = 0;
    std::uint64_t generation = 0;
  };
  std::vector<Slot> slots_;  // index = ino; slot 0 unused
  std::vector<std::uint64_t> free_;
};

}  // namespace coffer::vfs
