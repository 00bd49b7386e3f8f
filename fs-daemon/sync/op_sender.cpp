#include "sync/op_sender.hpp"

#include <spdlog/spdlog.h>

#include <mutex>
#include <set>

#include "crypto/manifest.hpp"
#include "sync/entry_planner.hpp"
#include "sync/record_meta.hpp"
#include "sync/replay_check.hpp"

namespace coffer::sync {
namespace {

std::uint64_t request_cost(const OpBody& body) {
  constexpr std::uint64_t kRecordCost = 1024;
  const auto* commit = std::get_if<CommitOp>(&body);
  if (commit == nullptr) return kRecordCost;
  std::uint64_t cost = kRecordCost + 140 * commit->chunks.size();
  for (const auto& blob : commit->inline_blobs) cost += blob.data.size() * 4 / 3 + 100;
  return cost;
}

constexpr std::size_t kNotSuperseded = static_cast<std::size_t>(-1);
constexpr int kMaxFolderConflicts = 5;

bool carries_attributes(const OpBody& body) {
  return std::holds_alternative<SetAttributesOp>(body) || std::holds_alternative<CommitOp>(body);
}

// An attribute change is whole (every attribute of the node), so one followed in the same
// window by another attribute change or a commit of the same node need not be sent: the later
// op sets everything it did. A file untarred takes a create, three attribute changes (times,
// owner, mode) and a commit; this sends a create and a commit. Ops that already failed (a
// refused blob) supersede nothing.
std::vector<std::size_t> superseding_ops(std::span<const JournalOp> window, const std::vector<Status>& results) {
  std::vector<std::size_t> successor(window.size(), kNotSuperseded);
  std::unordered_map<std::string, std::size_t> next_change;
  for (std::size_t i = window.size(); i-- > 0;) {
    const OpBody& body = window[i].body;
    if (!carries_attributes(body) || !results[i]) continue;
    const std::string id = op_node_id(body);
    auto later = next_change.find(id);
    if (std::holds_alternative<SetAttributesOp>(body) && later != next_change.end()) successor[i] = later->second;
    next_change[id] = i;
  }
  return successor;
}

}  // namespace

bool is_transient(Errc code) {
  return code == Errc::unavailable || code == Errc::rate_limited || code == Errc::unauthenticated;
}

std::size_t OpSender::window_size(std::span<const JournalOp> pending) const {
  std::size_t count = 0;
  std::size_t batch_ops = 0;
  std::uint64_t bytes = 0;
  for (const auto& op : pending) {
    std::uint64_t cost = request_cost(op.body);
    std::size_t ops = std::holds_alternative<CommitOp>(op.body) ? 2 : 1;
    if (count > 0 && (bytes + cost > options_.batch_bytes || batch_ops + ops > options_.batch_ops)) break;
    bytes += cost;
    batch_ops += ops;
    ++count;
  }
  return count;
}

Result<std::map<std::string, Error>> OpSender::upload_blob_files(std::span<const JournalOp> window) {
  std::set<std::string> ids;
  for (const auto& op : window) {
    for (auto& id : op_blob_files(op.body)) ids.insert(std::move(id));
  }
  std::mutex refused_mutex;
  std::map<std::string, Error> refused;
  std::vector<std::function<Status()>> tasks;
  for (const auto& id : ids) {
    if (!journal_.has_blob(id)) continue;  // uploaded before and moved to the cache
    tasks.push_back([this, id, &refused_mutex, &refused]() -> Status {
      auto blob = journal_.map_blob(id);
      if (!blob) return blob.error().code == Errc::not_found ? Status{} : Status{std::move(blob).error()};
      Status put = remote_.put_blob(id, blob->bytes());
      if (put || is_transient(put.error().code)) return put;
      std::lock_guard lock(refused_mutex);
      refused.emplace(id, std::move(put).error());
      return {};
    });
  }
  COFFER_TRY_STATUS(uploads_.run_all(std::move(tasks)));
  return refused;
}

Result<OpSender::ServerState> OpSender::state_of(const std::string& node_id) {
  if (auto it = states_.find(node_id); it != states_.end()) return it->second;
  auto node = remote_.get_node(node_id);
  if (!node) return std::move(node).error();
  return states_[node_id] = state_from(*node);
}

OpSender::ServerState OpSender::state_from(const remote::NodeInfo& node) const {
  ServerState state{node.version, node.attributes_revision, node.type == remote::NodeType::file && node.nlink == 0,
                    std::nullopt};
  if (auto run = own_runs_.find(node.node_id); run != own_runs_.end() && run->second.last == node.version) {
    state.own_from = run->second.first;
  }
  return state;
}

// An edit based on `base` may go on top of `state`: it started from the server's current
// version, or from one of this sender's own run of commits that ends there.
bool OpSender::continues(std::uint64_t base, const ServerState& state) {
  if (base == kUnknownBase || base == state.version) return true;
  return state.own_from && *state.own_from <= base && base <= state.version;
}

// The version a remove may take away: the one the device saw, or, when that was one of this
// sender's own run of commits, the run's last. No request: the server checks it.
std::optional<std::uint64_t> OpSender::expected_version(const RemoveOp& op,
                                                        const std::unordered_map<std::string, ServerState>& working) const {
  if (op.seen_version == kUnknownBase) return std::nullopt;
  auto within = [&](std::uint64_t first, std::uint64_t last) { return first <= op.seen_version && op.seen_version <= last; };
  const ServerState* state = nullptr;
  if (auto it = working.find(op.node_id); it != working.end()) state = &it->second;
  else if (auto cached = states_.find(op.node_id); cached != states_.end()) state = &cached->second;
  if (state != nullptr && state->own_from && within(*state->own_from, state->version)) return state->version;
  if (auto run = own_runs_.find(op.node_id); run != own_runs_.end() && within(run->second.first, run->second.last)) {
    return run->second.last;
  }
  return op.seen_version;
}

remote::CommitVersion OpSender::seal_commit(const CommitOp& op, const ServerState& state) const {
  crypto::Manifest manifest;
  manifest.node_id = op.node_id;
  manifest.version = state.version + 1;
  manifest.size = op.size;
  manifest.chunk_size = op.chunk_size;
  manifest.chunks = op.chunks;
  manifest.attributes = op.attributes;
  auto key = op_key(op.node_key);
  remote::CommitVersion commit;
  commit.node_id = op.node_id;
  commit.base_version = state.version;
  commit.version = state.version + 1;
  commit.manifest = crypto::seal_manifest(*key, manifest);
  // The server counts references to stored chunks only: holes are not listed.
  for (const auto& chunk : op.chunks) {
    if (chunk) commit.chunks.push_back(chunk->id.hex());
  }
  commit.blobs = op.inline_blobs;
  return commit;
}

remote::SetAttributes OpSender::seal_attributes(const std::string& node_id, const SecureBytes& key,
                                                crypto::Attributes attributes, std::uint64_t size,
                                                const ServerState& state) const {
  set_content_meta(attributes, {size, state.version});
  crypto::AttributeRecord record{node_id, state.revision + 1, std::move(attributes)};
  return {node_id, crypto::seal_attribute_record(*op_key(key), record), state.revision + 1, state.revision};
}

remote::BatchOp OpSender::entry_request(const OpBody& body, std::unordered_map<std::string, ServerState>& working) const {
  if (const auto* create = std::get_if<CreateOp>(&body)) {
    crypto::Attributes attributes = create->attributes;
    set_content_meta(attributes, {0, 0});
    crypto::AttributeRecord record{create->node_id, 1, std::move(attributes)};
    working[create->node_id] = {0, 1, false, std::nullopt};
    return remote::CreateNode{create->node_id, create->type, create->entry,
                              crypto::seal_attribute_record(*op_key(create->node_key), record), 1};
  }
  if (const auto* remove = std::get_if<RemoveOp>(&body)) {
    remote::RemoveEntry entry = remove->entry;
    entry.expected_version = expected_version(*remove, working);
    return entry;
  }
  if (const auto* link = std::get_if<LinkOp>(&body)) return link->link;
  return std::get<MoveOp>(body).move;
}

bool OpSender::changes_entries(const OpBody& body) {
  return !std::holds_alternative<CommitOp>(body) && !std::holds_alternative<SetAttributesOp>(body);
}

// One attempt at the window's request. Ops already failed or superseded are left out; entry
// ops are planned against the folder models (replays skipped, impossible ones failed);
// content ops are sealed on the server's current versions. `working` gets the states the
// request leaves. True when done; false when the request must be planned again (a stale folder
// revision, or an entry op the server refused and the rest must go without).
Result<bool> OpSender::send_round(std::span<const JournalOp> window, const std::vector<std::size_t>& successor,
                                  std::vector<Status>& results, std::vector<bool>& settled, std::vector<Pending>& pending,
                                  std::unordered_map<std::string, ServerState>& working) {
  working.clear();
  EntryPlanner planner(models_);
  // Planned after ops this round may yet drop, so planned again when it is repeated: a move
  // refused because a create this round planned holds its source, say.
  std::vector<std::size_t> refused_in_plan;
  auto plan_again = [&] {
    for (std::size_t index : refused_in_plan) results[index] = Status{};
    return false;
  };
  std::vector<remote::BatchOp> ops;
  std::vector<std::size_t> owner;  // index in `window` of each batch op
  auto state_for = [&](const std::string& id) -> Result<ServerState> {
    if (auto it = working.find(id); it != working.end()) return it->second;
    return state_of(id);
  };
  for (std::size_t i = 0; i < window.size(); ++i) {
    // A blob was refused, the server holds the op already, or a later op carries it.
    if (!results[i] || settled[i] || successor[i] != kNotSuperseded) continue;
    const OpBody& body = window[i].body;
    if (changes_entries(body)) {
      auto verdict = planner.plan(body);
      if (!verdict && is_transient(verdict.error().code)) {
        planner.abandon();
        return std::move(verdict).error();
      }
      if (!verdict) {
        auto before = created_before(body, verdict.error());
        if (!before) {
          planner.abandon();
          return std::move(before).error();
        }
        if (*before) {
          settled[i] = true;
        } else {
          results[i] = std::move(verdict).error();
          refused_in_plan.push_back(i);
        }
        continue;
      }
      if (*verdict == EntryPlanner::Verdict::skip) continue;
      ops.push_back(entry_request(body, working));
      owner.push_back(i);
      continue;
    }
    const std::string id = op_node_id(body);
    auto state = state_for(id);
    if (!state) {
      if (is_transient(state.error().code)) {
        planner.abandon();
        return std::move(state).error();
      }
      results[i] = std::move(state).error();
      continue;
    }
    if (const auto* commit = std::get_if<CommitOp>(&body)) {
      // Kept as a new file once the request is done (finish_op): never sent on a version this
      // device's edit did not start from.
      if (state->trashed) {
        results[i] = make_error(Errc::not_found, "the file was deleted on the server");
        continue;
      }
      if (!continues(commit->base_version, *state)) {
        results[i] = make_error(Errc::conflict, "the file has a version this edit did not start from");
        continue;
      }
      ops.push_back(seal_commit(*commit, *state));
      owner.push_back(i);
      ServerState next = *state;
      next.version = state->version + 1;
      ops.push_back(seal_attributes(id, commit->node_key, commit->attributes, commit->size, next));
      owner.push_back(i);
      next.revision = state->revision + 1;
      const std::uint64_t base = commit->base_version == kUnknownBase ? state->version : commit->base_version;
      next.own_from = state->own_from.value_or(base);
      working[id] = next;
    } else {
      const auto& attrs = std::get<SetAttributesOp>(body);
      // A size this device recorded for a version the server no longer holds: merged onto the
      // server's record instead (finish_op).
      if (!continues(attrs.base_version, *state)) {
        results[i] = make_error(Errc::conflict, "the file has a version this change did not see");
        continue;
      }
      ops.push_back(seal_attributes(id, attrs.node_key, attrs.attributes, attrs.size, *state));
      owner.push_back(i);
      ServerState next = *state;
      next.revision = state->revision + 1;
      working[id] = next;
    }
  }
  if (ops.empty()) return true;
  auto answers = remote_.batch(ops, planner.updates());
  if (!answers) {
    planner.abandon();
    if (is_transient(answers.error().code)) return std::move(answers).error();
    if (answers.error().code == Errc::conflict) return plan_again();  // a folder changed on the server meanwhile
    for (std::size_t index : owner) results[index] = answers.error();
    return true;
  }
  for (std::size_t k = 0; k < answers->size(); ++k) {
    const Status& answer = (*answers)[k];
    if (answer || answer.error().code == Errc::aborted || !changes_entries(window[owner[k]].body)) continue;
    planner.abandon();  // nothing was applied: plan again without the op that failed
    auto before = created_before(window[owner[k]].body, answer.error());
    if (!before) return std::move(before).error();
    if (*before) settled[owner[k]] = true;
    else results[owner[k]] = answer;
    return plan_again();
  }
  planner.applied(guard_);
  for (std::size_t k = 0; k < answers->size(); ++k) {
    if ((*answers)[k] || !results[owner[k]]) continue;
    // The attribute record that follows a commit met another device's record change: the
    // version stands, and the record is merged onto the server's (finish_op).
    const bool record_after_commit = k > 0 && owner[k - 1] == owner[k];
    if (record_after_commit && (*answers)[k].error().code == Errc::conflict) {
      pending[owner[k]] = Pending::stale_record;
      continue;
    }
    results[owner[k]] = (*answers)[k];
  }
  return true;
}

Result<std::vector<Status>> OpSender::send(std::span<const JournalOp> window) {
  auto refused = upload_blob_files(window);
  if (!refused) return std::move(refused).error();
  std::vector<Status> results(window.size());
  for (std::size_t i = 0; i < window.size(); ++i) {
    for (const auto& id : op_blob_files(window[i].body)) {
      if (auto it = refused->find(id); it != refused->end()) results[i] = it->second;
    }
  }
  auto settled = settled_replays(remote_, window, replay_through_);
  if (!settled) return std::move(settled).error();
  note_own_runs(window, *settled);
  const auto successor = superseding_ops(window, results);
  std::unordered_map<std::string, ServerState> working;
  std::vector<Pending> pending(window.size(), Pending::none);
  int conflicts = 0;
  for (;;) {
    auto done = send_round(window, successor, results, *settled, pending, working);
    if (!done) return std::move(done).error();
    if (*done) break;
    // Each round either drops a refused op or meets a folder another device changed meanwhile.
    if (++conflicts <= kMaxFolderConflicts + static_cast<int>(window.size())) continue;
    // Replanning does not get past the server: the queue sends the window's ops one at a time,
    // and the one op that still cannot go fails for good instead of holding up the ops after it.
    const std::string why = "its folders kept changing on the server while it was planned again";
    if (window.size() > 1) return make_error(Errc::conflict, "a window of " + std::to_string(window.size()) + " ops: " + why);
    results[0] = make_error(Errc::conflict, why);
    break;
  }
  std::set<std::string> failed_nodes;
  for (std::size_t i = 0; i < window.size(); ++i) {
    if (!results[i]) failed_nodes.insert(op_node_id(window[i].body));
  }
  for (auto& [id, state] : working) {
    if (failed_nodes.contains(id)) {
      states_.erase(id);
      continue;
    }
    states_[id] = state;
    if (state.own_from) own_runs_[id] = {*state.own_from, state.version};
  }
  for (std::size_t i = 0; i < window.size(); ++i) {
    results[i] = finish_op(window[i], results[i], pending[i]);
    if (!results[i] && is_transient(results[i].error().code)) return results[i].error();
  }
  for (std::size_t i = window.size(); i-- > 0;) {
    if (successor[i] != kNotSuperseded) results[i] = results[successor[i]];
  }
  return results;
}

void OpSender::forget_state() {
  states_.clear();
  models_.forget_all();
}

// Replayed commits the server already holds were this device's own: later edits based on the
// same version continue them.
void OpSender::note_own_runs(std::span<const JournalOp> window, const std::vector<bool>& settled) {
  for (std::size_t i = 0; i < window.size(); ++i) {
    const auto* commit = std::get_if<CommitOp>(&window[i].body);
    if (commit == nullptr || !settled[i]) continue;
    auto state = states_.find(commit->node_id);
    if (state == states_.end()) {
      auto node = remote_.get_node(commit->node_id);
      if (!node || node->version == 0) continue;  // found again next time, or not at all
      own_runs_[commit->node_id] = {std::min(commit->base_version, node->version), node->version};
      continue;
    }
    own_runs_[commit->node_id] = {std::min(commit->base_version, state->second.version), state->second.version};
    state->second.own_from = own_runs_[commit->node_id].first;
  }
}

// A create refused because its node id is in use was applied before: node ids are 128 random
// bits chosen here, so the node is this op's. It happens on a replay after a crash when later
// ops (also replayed) moved the entry away or gave its name to another node.
Result<bool> OpSender::created_before(const OpBody& body, const Error& refusal) {
  const auto* create = std::get_if<CreateOp>(&body);
  if (create == nullptr || refusal.code != Errc::already_exists) return false;
  auto node = remote_.get_node(create->node_id);
  if (node) return true;
  if (is_transient(node.error().code)) return std::move(node).error();
  return false;
}

Status OpSender::finish_op(const JournalOp& op, const Status& result, Pending pending) {
  const OpBody& body = op.body;
  const std::string id = op_node_id(body);
  if (result) {
    // What this device wrote is what it has seen: an older record or version offered later is
    // a rollback.
    const auto* commit = std::get_if<CommitOp>(&body);
    auto state = states_.find(id);
    if ((commit != nullptr || std::holds_alternative<SetAttributesOp>(body)) && state != states_.end()) {
      (void)guard_.check_revision(id, state->second.revision);
      if (commit != nullptr) {
        (void)guard_.check_version(id, state->second.version);
        if (listener_) listener_(id, state->second.version);
      }
    }
    if (commit != nullptr && pending == Pending::stale_record) {
      return merge_attributes(id, commit->node_key, commit->attributes, commit->size, commit->base_version);
    }
    return {};
  }
  const Errc code = result.error().code;
  if (const auto* commit = std::get_if<CommitOp>(&body)) {
    if (code == Errc::not_found) return keep_local_edit(op, *commit, true);
    if (code == Errc::conflict) return keep_local_edit(op, *commit, false);
  }
  if (const auto* attrs = std::get_if<SetAttributesOp>(&body)) {
    if (code == Errc::not_found) {
      spdlog::debug("set attributes of node {} skipped: the node is gone from the server", id);
      return {};
    }
    if (code == Errc::conflict) {
      return merge_attributes(id, attrs->node_key, attrs->attributes, attrs->size, attrs->base_version);
    }
  }
  if (const auto* remove = std::get_if<RemoveOp>(&body); remove != nullptr && code == Errc::conflict) {
    return keep_entry(op, *remove);
  }
  return result;
}

}  // namespace coffer::sync
