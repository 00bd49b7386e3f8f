#include "sync/entry_planner.hpp"

#include <spdlog/spdlog.h>

#include "crypto/entry_seal.hpp"
#include "sync/folder_listing.hpp"

namespace coffer::sync {
namespace {

using Verdict = EntryPlanner::Verdict;

Status set_leaf(FolderModels::Model& model, const remote::SealedName& entry, const std::string& node_id) {
  auto tag = crypto::FolderCommitment::tag_from_hex(entry.name_tag);
  if (!tag) return std::move(tag).error();
  auto mac = crypto::token_mac(entry.wrapped_key);
  if (!mac) return std::move(mac).error();
  model.commitment.set(*tag, *mac);
  model.nodes[entry.name_tag] = node_id;
  return {};
}

void erase_leaf(FolderModels::Model& model, const std::string& name_tag) {
  if (auto tag = crypto::FolderCommitment::tag_from_hex(name_tag)) model.commitment.erase(*tag);
  model.nodes.erase(name_tag);
}

const std::string* node_at(const FolderModels::Model& model, const std::string& name_tag) {
  auto it = model.nodes.find(name_tag);
  return it == model.nodes.end() ? nullptr : &it->second;
}

// A move's new entry was sealed for the node the mount saw at the old place; the server's
// entry there must still be that node, or the sealed entry would name the wrong one.
Status check_sealed_for(const SecureBytes& key, const remote::SealedName& entry, const std::string& node_id) {
  auto folder_key = op_key(key);
  if (!folder_key) return std::move(folder_key).error();
  if (crypto::open_entry_key(*folder_key, {entry.parent_id, node_id, entry.name_tag}, entry.wrapped_key)) return {};
  return make_error(Errc::conflict, "the entry to move now names another node on the server");
}

Error name_taken() { return make_error(Errc::already_exists, "the name is taken on the server by another node"); }

}  // namespace

Result<FolderModels::Model*> EntryPlanner::model(const std::string& folder_id, const SecureBytes& key) {
  auto folder_key = op_key(key);
  if (!folder_key) return std::move(folder_key).error();
  touched_.insert(folder_id);
  return models_.get(folder_id, *folder_key);
}

Status EntryPlanner::mark_changed(const std::string& folder_id, const SecureBytes& key, Model& model) {
  if (changed_.contains(folder_id)) return {};
  auto folder_key = op_key(key);
  if (!folder_key) return std::move(folder_key).error();
  changed_.emplace(folder_id, Changed{std::move(folder_key).value(), &model});
  return {};
}

Result<Verdict> EntryPlanner::plan(const OpBody& body) {
  if (const auto* create = std::get_if<CreateOp>(&body)) return plan_create(*create);
  if (const auto* link = std::get_if<LinkOp>(&body)) return plan_link(*link);
  if (const auto* remove = std::get_if<RemoveOp>(&body)) return plan_remove(*remove);
  return plan_move(std::get<MoveOp>(body));
}

Result<Verdict> EntryPlanner::plan_create(const CreateOp& op) {
  auto parent = model(op.entry.parent_id, op.parent_key);
  if (!parent) return std::move(parent).error();
  if (const std::string* present = node_at(**parent, op.entry.name_tag)) {
    if (*present == op.node_id) return Verdict::skip;  // created before a crash
    return name_taken();
  }
  COFFER_TRY_STATUS(set_leaf(**parent, op.entry, op.node_id));
  COFFER_TRY_STATUS(mark_changed(op.entry.parent_id, op.parent_key, **parent));
  if (op.type == remote::NodeType::folder) {
    touched_.insert(op.node_id);
    COFFER_TRY_STATUS(mark_changed(op.node_id, op.node_key, models_.create(op.node_id)));
  }
  return Verdict::send;
}

Result<Verdict> EntryPlanner::plan_link(const LinkOp& op) {
  auto parent = model(op.link.entry.parent_id, op.parent_key);
  if (!parent) return std::move(parent).error();
  if (const std::string* present = node_at(**parent, op.link.entry.name_tag)) {
    if (*present == op.link.node_id) return Verdict::skip;
    return name_taken();
  }
  COFFER_TRY_STATUS(set_leaf(**parent, op.link.entry, op.link.node_id));
  COFFER_TRY_STATUS(mark_changed(op.link.entry.parent_id, op.parent_key, **parent));
  return Verdict::send;
}

// An entry that is gone, or that now names another node (changed by another device), is left
// alone: removing it would delete what someone else put there.
Result<Verdict> EntryPlanner::plan_remove(const RemoveOp& op) {
  auto parent = model(op.entry.parent_id, op.parent_key);
  if (!parent) return std::move(parent).error();
  const std::string* present = node_at(**parent, op.entry.name_tag);
  if (present == nullptr) return Verdict::skip;
  if (*present != op.node_id) {
    spdlog::warn("folder {}: entry {} was not removed: it names another node on the server now", op.entry.parent_id,
                 op.entry.name_tag);
    return Verdict::skip;
  }
  erase_leaf(**parent, op.entry.name_tag);
  COFFER_TRY_STATUS(mark_changed(op.entry.parent_id, op.parent_key, **parent));
  return Verdict::send;
}

Result<Verdict> EntryPlanner::plan_move(const MoveOp& op) {
  const auto& move = op.move;
  auto from = model(move.from.parent_id, op.from_key);
  if (!from) return std::move(from).error();
  auto to = model(move.to.parent_id, op.to_key);
  if (!to) return std::move(to).error();
  const std::string* source = node_at(**from, move.from.name_tag);
  if (source == nullptr) {
    if (node_at(**to, move.to.name_tag) != nullptr) return Verdict::skip;  // moved before a crash
    return make_error(Errc::not_found, "the entry to move is gone from the server");
  }
  const std::string node_id = *source;
  COFFER_TRY_STATUS(check_sealed_for(op.to_key, move.to, node_id));
  const std::string* target = node_at(**to, move.to.name_tag);
  const bool same_place = move.from.parent_id == move.to.parent_id && move.from.name_tag == move.to.name_tag;
  std::optional<std::string> exchanged;
  if (target != nullptr && !same_place) {
    if (move.mode == remote::MoveMode::noreplace) return name_taken();
    if (move.mode == remote::MoveMode::replace && *target == node_id) return Verdict::skip;  // rename(2) of a link onto itself
    if (move.mode == remote::MoveMode::exchange) exchanged = *target;
  } else if (move.mode == remote::MoveMode::exchange && !same_place) {
    return make_error(Errc::not_found, "no entry to exchange with on the server");
  }
  if (exchanged) COFFER_TRY_STATUS(check_sealed_for(op.from_key, *move.exchange, *exchanged));
  erase_leaf(**from, move.from.name_tag);
  erase_leaf(**to, move.to.name_tag);
  COFFER_TRY_STATUS(set_leaf(**to, move.to, node_id));
  if (exchanged) COFFER_TRY_STATUS(set_leaf(**from, *move.exchange, *exchanged));
  COFFER_TRY_STATUS(mark_changed(move.from.parent_id, op.from_key, **from));
  COFFER_TRY_STATUS(mark_changed(move.to.parent_id, op.to_key, **to));
  return Verdict::send;
}

std::vector<remote::FolderUpdate> EntryPlanner::updates() {
  std::vector<remote::FolderUpdate> updates;
  for (const auto& [folder_id, changed] : changed_) {
    const std::uint64_t next = changed.model->revision + 1;
    updates.push_back({folder_id, changed.model->revision, next,
                       seal_folder_state(changed.key, folder_id, next, changed.model->commitment)});
  }
  return updates;
}

void EntryPlanner::applied(cache::VersionGuard& guard) {
  std::vector<std::pair<std::string, std::uint64_t>> revisions;
  for (auto& [folder_id, changed] : changed_) revisions.emplace_back(folder_id, ++changed.model->revision);
  guard.saw_folder_revisions(revisions);
}

void EntryPlanner::abandon() {
  for (const auto& folder_id : touched_) models_.forget(folder_id);
}

}  // namespace coffer::sync
