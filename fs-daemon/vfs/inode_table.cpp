#include "vfs/inode_table.hpp"

namespace coffer::vfs {

InodeTable::InodeTable(std::shared_ptr<Node> root) : slots_(2) {
  root->ino = kRootIno;
  slots_[kRootIno] = Slot{std::move(root), 1, 1};
}

InodeTable::Entry InodeTable::reference(const std::shared_ptr<Node>& node) {
  if (node->ino != 0) {
    Slot& slot = slots_[node->ino];
    ++slot.lookups;
    return {node->ino, slot.generation};
  }
  std::uint64_t ino = 0;
  if (!free_.empty()) {
    ino = free_.back();
    free_.pop_back();
  } else {
    ino = slots_.size();
    slots_.emplace_back();
  }
  Slot& slot = slots_[ino];
  slot.node = node;
  slot.lookups = 1;
  ++slot.generation;
  node->ino = ino;
  return {ino, slot.generation};
}

std::shared_ptr<Node> InodeTable::get(std::uint64_t ino) const {
  if (ino == 0 || ino >= slots_.size()) return nullptr;
  return slots_[ino].node;
}

void InodeTable::forget(std::uint64_t ino, std::uint64_t count) {
  if (ino <= kRootIno || ino >= slots_.size() || !slots_[ino].node) return;
  Slot& slot = slots_[ino];
  slot.lookups = count >= slot.lookups ? 0 : slot.lookups - count;
  if (slot.lookups > 0) return;
  slot.node->ino = 0;
  slot.node.reset();
  free_.push_back(ino);
}

}  // namespace coffer::vfs
